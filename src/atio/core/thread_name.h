// Named threads: the name shows in top -H, ps -L, perf and gdb, so an
// operator can tell which part of atio uses the CPU. Linux keeps 15 bytes.
#pragma once

#include <thread>
#include <utility>

namespace atio {

// Names the calling thread.
void set_thread_name(const char* name);

// A thread named `name` that runs `fn`.
template <typename Fn>
std::thread named_thread(const char* name, Fn fn) {
  return std::thread([name, fn = std::move(fn)]() mutable {
    set_thread_name(name);
    fn();
  });
}

}  // namespace atio
