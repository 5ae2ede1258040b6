// Names the calling thread (shown by top -H, ps -L, perf and gdb), so an
// operator can tell which part of atio uses the CPU. Linux keeps 15 bytes.
#pragma once

namespace atio {

void set_thread_name(const char* name);

}  // namespace atio
