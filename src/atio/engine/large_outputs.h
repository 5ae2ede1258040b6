// Large step outputs (docs/large-outputs.md): what a command hands over in a
// file (actions::FileOutput), and any output value whose JSON is larger than
// the configured threshold, is written to the store in chunks
// (store/large_outputs.h) and replaced in the step's outputs by a reference:
//
//   {"x_atio_large_output": {"id": "<uuid>", "name": "stdout", "bytes": 52428800,
//     "media_type": "text/plain", "preview": "<the first ~4 KiB as text>",
//     "preview_bytes": 4096}}
//
// What it promises:
// - Memory stays bounded whatever the size: a file is read from offset 0 in
//   chunks of store::kLargeOutputChunkBytes, at most `window` chunks in
//   flight to the store; an in-memory value is serialised chunk by chunk.
// - The reference exists only once every chunk and the output's record are
//   durable (done() is called after that), so a journal record that holds
//   it never points at missing bytes.
// - A string value is stored as its text ("text/plain; charset=utf-8"), any
//   other value as its JSON ("application/json"); a file with the media type
//   the command gave ("application/octet-stream" when it gave none).
// - `preview` is valid UTF-8: the first kPreviewBytes bytes cut back to a
//   character boundary, with U+FFFD for bytes that are not UTF-8;
//   `preview_bytes` is how many bytes of the output it shows, so a reader
//   continues from there.
#pragma once

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "atio/actions/action.h"
#include "atio/core/status.h"
#include "atio/store/store.h"

namespace atio::engine {

namespace bj = boost::json;

inline constexpr std::string_view kLargeOutputKey = "x_atio_large_output";
inline constexpr std::size_t kPreviewBytes = 4096;

struct LargeOutputTarget {
  std::string execution_id;
  std::string step_key;
  std::string owner;        // fences the writes (store.h); "" = unfenced
  std::size_t threshold = 1024 * 1024;  // values whose JSON is larger move to the store
  std::size_t window = 4;   // chunks written at once
  std::int64_t now_ms = 0;  // the records' created_at
};

// True when `outcome` has files, or an output value whose JSON is larger
// than `threshold` (measured by serialising at most threshold + 1 bytes).
bool has_large_outputs(const actions::Outcome& outcome, std::size_t threshold);

// Writes the outcome's files and large values to `store` and puts their
// references in outcome->outputs (a file's under its name, replacing a value
// of that name). `post` runs a task on a worker (reads are short local I/O);
// `cancelled` is asked between chunks and stops the work early (done gets
// kAborted). `done` runs once, on a worker, after the last write has ended;
// on an error the outputs not stored yet keep no reference, and files are
// closed either way.
void store_large_outputs(store::Store& store, std::function<void(std::function<void()>)> post,
                         LargeOutputTarget target, std::shared_ptr<actions::Outcome> outcome,
                         std::function<bool()> cancelled, std::function<void(Status)> done);

// The reference object for a stored output.
bj::object large_output_reference(const store::LargeOutputRecord& record,
                                  std::string_view head);

// True when `value` is such a reference.
bool is_large_output_reference(const bj::value& value);

}  // namespace atio::engine
