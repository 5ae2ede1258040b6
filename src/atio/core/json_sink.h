// The buffered text sink under json_write.h and json_text.h, for code that
// writes JSON text piece by piece on a hot path.
#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace atio::json {

// Text goes into a fixed block first and into the string a block at a time:
// appending to std::string piece by piece costs a capacity check and a call
// per piece, which dominated the serialisation of small strings.
class Sink {
 public:
  explicit Sink(std::string* out) : out_(out) {}
  ~Sink() { flush(); }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  // Room for `n` more bytes at cursor(); n <= kRoom.
  char* room(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) flush();
    return p_;
  }
  void advance(char* to) { p_ = to; }
  // Moves the cursor to `at` (unless nullptr) and returns it with room for
  // `n` more bytes.
  char* room_at(char* at, std::size_t n) {
    if (at != nullptr) p_ = at;
    return room(n);
  }
  void put(char c) { *room(1) = c, ++p_; }
  void put(std::string_view s) {
    if (s.size() > kRoom) {
      flush();
      out_->append(s);
      return;
    }
    char* q = room(s.size());
    std::memcpy(q, s.data(), s.size());
    p_ = q + s.size();
  }
  void flush() {
    out_->append(block_, static_cast<std::size_t>(p_ - block_));
    p_ = block_;
  }

  static constexpr std::size_t kRoom = 4096;

 private:
  std::string* out_;
  char block_[kRoom + 64];
  char* p_ = block_;
  char* end_ = block_ + kRoom;
};

// Appends `s` quoted and escaped (json_write.h, append_quoted).
void put_string(std::string_view s, Sink& sink);
void put_integer(std::int64_t v, Sink& sink);
// Appends the compact text of `v` (json_write.h, dump_append).
void put_value(const boost::json::value& v, Sink& sink);

}  // namespace atio::json
