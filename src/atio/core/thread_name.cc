#include "atio/core/thread_name.h"

#include <pthread.h>

#include <cstring>
#include <string>

namespace atio {

void set_thread_name(const char* name) {
  std::string n(name, ::strnlen(name, 15));
  ::pthread_setname_np(::pthread_self(), n.c_str());
}

}  // namespace atio
