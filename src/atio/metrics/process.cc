#include "atio/metrics/process.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace atio::metrics {

namespace {

prometheus::MetricFamily one(const char* name, const char* help, prometheus::MetricType type,
                             double value) {
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  return prometheus::MetricFamily{name, help, type, {m}};
}

}  // namespace

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<prometheus::MetricFamily> process_families(double start_time_seconds) {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> out;
  out.push_back(one("process_start_time_seconds",
                    "Start time of the process since the Unix epoch in seconds.", MetricType::Gauge,
                    start_time_seconds));
  rusage ru{};
  if (::getrusage(RUSAGE_SELF, &ru) == 0) {
    const double cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                       static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    out.push_back(one("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                      MetricType::Counter, cpu));
  }
  // statm: size resident shared ... in pages.
  std::ifstream statm("/proc/self/statm");
  long size_pages = 0, resident_pages = 0;
  if (statm >> size_pages >> resident_pages) {
    out.push_back(one("process_resident_memory_bytes", "Resident memory size in bytes.",
                      MetricType::Gauge,
                      static_cast<double>(resident_pages) * static_cast<double>(::sysconf(_SC_PAGESIZE))));
  }
  std::error_code ec;
  std::size_t fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++fds;
  }
  if (!ec) {
    // The directory's own descriptor, open while it is listed, is not counted.
    out.push_back(one("process_open_fds", "Number of open file descriptors.", MetricType::Gauge,
                      static_cast<double>(fds > 0 ? fds - 1 : 0)));
  }
  return out;
}

}  // namespace atio::metrics
