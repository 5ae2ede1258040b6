// Large step outputs (docs/large-outputs.md): bytes kept outside the step
// journal, in chunks, so that a 50 MB script output is neither held in
// memory nor copied into the execution's journal rows. A step's outputs hold
// a small reference instead (engine/large_outputs.h).
//
// What the store promises:
// - Chunks are written through the writer like every journal write, fenced
//   by the execution's owner as PutStep is (store.h).
// - An output is readable (get_large_output) only once its record is
//   written, and the engine writes the record only after every chunk is
//   durable, and the step's reference only after the record is: a crash
//   leaves at worst chunks or a record nothing refers to, never a reference
//   to missing bytes.
// - Deleting an execution's row deletes its large outputs, records and
//   chunks alike, whoever deletes it (a trigger on `executions`).
#pragma once

#include <cstdint>
#include <string>

namespace atio::store {

// Every chunk but an output's last holds this many bytes (the engine writes
// with it; the record keeps the size used, so it may change later).
inline constexpr std::int64_t kLargeOutputChunkBytes = 256 * 1024;

struct LargeOutputRecord {
  std::string id;            // uuid
  std::string execution_id;
  std::string step_key;      // the step run that produced it (StepRecord::step_key)
  std::string name;          // its key in the step's outputs, e.g. "stdout"
  std::string media_type;    // e.g. "text/plain; charset=utf-8", "application/json"
  std::int64_t bytes = 0;    // total size
  std::int64_t chunk_bytes = kLargeOutputChunkBytes;  // size of every chunk but the last
  std::int64_t created_at_ms = 0;
};

// Chunk `index` of output `output_id`: its bytes from index * chunk_bytes.
// Insert or replace (a write retried after a lost answer). Fenced by `owner`
// when not "" (kConflict, is_ownership_lost).
struct PutLargeOutputChunk {
  std::string output_id;
  std::string execution_id;
  std::int64_t index = 0;
  std::string data;
  std::string owner;
};

// The output's record: written once all of its chunks are durable. Fenced
// like the chunks.
struct PutLargeOutput {
  LargeOutputRecord output;
  std::string owner;
};

}  // namespace atio::store
