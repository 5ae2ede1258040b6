// The wall clock in Unix milliseconds: what atio stores as times (created_at,
// heartbeats, audit records) and compares across processes.
#pragma once

#include <chrono>
#include <cstdint>

namespace atio {

inline std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace atio
