// JSON text written member by member, straight into a string, for the hot
// paths that produce large documents of a fixed shape (a converter's output):
// no value tree is built only to be serialised and dropped.
//
// Writes compact text, byte for byte what json::dump_append writes for a
// value with the same members in the same order. The writer keeps commas
// right; the caller keeps the structure right (every begin_ has its end_, a
// key before each value inside an object). Text reaches the string in blocks:
// all of it is there after flush() or the writer's end.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "atio/core/json_sink.h"

namespace atio::json {

class JsonText {
 public:
  // REQUIRES: `out` outlives the writer. Text is appended to what is there.
  explicit JsonText(std::string* out) : sink_(out) {}

  // Moves what is written so far into the string.
  void flush() { sink_.flush(); }

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  void key(std::string_view k) {
    separate();
    put_string(k, sink_);
    sink_.put(':');
    after_key_ = true;
  }
  void string(std::string_view s) {
    separate();
    put_string(s, sink_);
  }
  void integer(std::int64_t v) {
    separate();
    put_integer(v, sink_);
  }
  void value(const boost::json::value& v) {
    separate();
    put_value(v, sink_);
  }
  // `members`: the text of zero or more members ("a":1,"b":2) of the object
  // being written, already in JSON form.
  void members(std::string_view members) {
    if (members.empty()) return;
    separate();
    sink_.put(members);
  }
  // `json`: the text of one complete JSON value.
  void raw(std::string_view json) {
    separate();
    sink_.put(json);
  }

  void member(std::string_view k, std::string_view s) {
    key(k);
    string(s);
  }
  void member(std::string_view k, std::int64_t v) {
    key(k);
    integer(v);
  }
  // An array of strings.
  template <typename Strings>
  void string_array(std::string_view k, const Strings& items) {
    key(k);
    begin_array();
    for (const auto& s : items) string(s);
    end_array();
  }

 private:
  static constexpr std::size_t kMaxDepth = 32;

  void separate() {
    if (after_key_) {
      after_key_ = false;
    } else if (depth_ > 0) {
      if (!empty_[depth_]) sink_.put(',');
      empty_[depth_] = false;
    }
  }
  void open(char c) {
    separate();
    sink_.put(c);
    // Deeper than kMaxDepth is a programming error in the caller; the text
    // then still opens and closes, only its commas are shared.
    if (depth_ + 1 < kMaxDepth) ++depth_;
    empty_[depth_] = true;
  }
  void close(char c) {
    sink_.put(c);
    if (depth_ > 0) --depth_;
  }

  Sink sink_;
  std::array<bool, kMaxDepth> empty_{};
  std::size_t depth_ = 0;
  bool after_key_ = false;
};

}  // namespace atio::json
