#include "atio/metrics/metrics.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <array>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "atio/metrics/children.h"
#include "atio/metrics/process.h"
#include "atio/metrics/snapshot.h"

namespace atio::metrics {

namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

constexpr std::size_t kWatchedCount = 4;

struct WatchedDoc {
  const char* name;
  const char* help;
};

// Indexed by Watched.
constexpr std::array<WatchedDoc, kWatchedCount> kWatchedDocs = {{
    {"atio_executions_queued",
     "Executions stored as pending, waiting for a run slot (max-running)."},
    {"atio_executions_active", "Executions accepted and not ended: running, starting or queued."},
    {"atio_manual_steps_waiting", "Manual steps waiting for a person to answer."},
    {"atio_audit_chain_length", "Records in the audit log's hash chain (the newest record's seq)."},
}};

Counter& add_counter_child(Family<Counter>& f, const prometheus::Labels& l) { return f.Add(l); }

}  // namespace

std::string_view rejection_name(WebhookRejection r) {
  switch (r) {
    case WebhookRejection::kUnauthenticated: return "unauthenticated";
    case WebhookRejection::kUnknownHook: return "unknown_hook";
    case WebhookRejection::kInvalid: return "invalid";
    case WebhookRejection::kTooLarge: return "too_large";
    case WebhookRejection::kBusy: return "busy";
    case WebhookRejection::kError: return "error";
  }
  return "error";
}

const std::vector<double>& Metrics::step_buckets() {
  // From a Lua transform (well under a millisecond) to a manual step that
  // waits hours for a person.
  static const std::vector<double> buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                              0.1,    0.25,  0.5,    1,     2.5,  5,     10,
                                              30,     60,    300,    900,   3600, 14400};
  return buckets;
}

struct Metrics::Impl {
  explicit Impl(MetricsOptions o)
      : options(std::move(o)),
        registry(prometheus::Registry::InsertBehavior::Throw),
        started_family(prometheus::BuildCounter()
                           .Name("atio_executions_started_total")
                           .Help("Executions created and stored, by playbook.")
                           .Register(registry)),
        finished_family(prometheus::BuildCounter()
                            .Name("atio_executions_finished_total")
                            .Help("Executions ended, by playbook and final status.")
                            .Register(registry)),
        step_family(prometheus::BuildHistogram()
                        .Name("atio_step_duration_seconds")
                        .Help("Time from a step's start (its delay included) to its end, by "
                              "CACAO step type and command type.")
                        .Register(registry)),
        accepted_family(prometheus::BuildCounter()
                            .Name("atio_webhook_events_accepted_total")
                            .Help("Webhook events stored, each starting one execution, by hook.")
                            .Register(registry)),
        rejected_family(prometheus::BuildCounter()
                            .Name("atio_webhook_requests_rejected_total")
                            .Help("Webhook requests that started nothing, by hook and reason.")
                            .Register(registry)),
        started(started_family, {"playbook"}, add_counter_child),
        finished(finished_family, {"playbook", "status"}, add_counter_child),
        steps(step_family, {"step_type", "command_type"},
              [](Family<Histogram>& f, const prometheus::Labels& l) -> Histogram& {
                return f.Add(l, step_buckets());
              }),
        accepted(accepted_family, {"hook"}, add_counter_child),
        rejected(rejected_family, {"hook", "reason"}, add_counter_child) {
    if (options.start_time_seconds <= 0) options.start_time_seconds = now_seconds();
    prometheus::BuildGauge()
        .Name("atio_build_info")
        .Help("atio's version; the value is always 1.")
        .Register(registry)
        .Add({{"version", options.version}})
        .Set(1);
  }

  MetricsOptions options;
  prometheus::Registry registry;
  Family<Counter>& started_family;
  Family<Counter>& finished_family;
  Family<Histogram>& step_family;
  Family<Counter>& accepted_family;
  Family<Counter>& rejected_family;
  Children<Counter, 1> started;
  Children<Counter, 2> finished;
  Children<Histogram, 2> steps;
  Children<Counter, 1> accepted;
  Children<Counter, 2> rejected;

  // Guards the readers below; held while a scrape calls them, so releasing
  // a reader waits for the scrape that is using it.
  mutable std::mutex readers_mu;
  std::uint64_t next_id = 1;
  struct WatchedReader {
    std::uint64_t id = 0;
    std::function<std::optional<double>()> read;
  };
  std::array<WatchedReader, kWatchedCount> watched;
  std::map<std::uint64_t, Collector> collectors;  // by id: registration order
};

Registration::Registration(Registration&& o) noexcept : release_(std::move(o.release_)) {
  o.release_ = nullptr;
}

Registration& Registration::operator=(Registration&& o) noexcept {
  if (this != &o) {
    release();
    release_ = std::move(o.release_);
    o.release_ = nullptr;
  }
  return *this;
}

Registration::~Registration() { release(); }

void Registration::release() {
  if (release_) {
    auto r = std::move(release_);
    release_ = nullptr;
    r();
  }
}

Metrics::Metrics(MetricsOptions options) : impl_(std::make_shared<Impl>(std::move(options))) {}

Metrics::~Metrics() = default;

void Metrics::executions_started(std::string_view playbook_id, std::size_t n) {
  impl_->started.get({playbook_id}).Increment(static_cast<double>(n));
}

void Metrics::execution_finished(std::string_view playbook_id, std::string_view status) {
  impl_->finished.get({playbook_id, status}).Increment();
}

void Metrics::step_finished(std::string_view step_type, std::string_view command_type,
                            double seconds) {
  impl_->steps.get({step_type, command_type}).Observe(seconds);
}

void Metrics::webhook_accepted(std::string_view hook_id, std::size_t events) {
  impl_->accepted.get({hook_id}).Increment(static_cast<double>(events));
}

void Metrics::webhook_rejected(std::string_view hook_id, WebhookRejection why) {
  impl_->rejected.get({hook_id, rejection_name(why)}).Increment();
}

Registration Metrics::watch(Watched gauge, std::function<std::optional<double>()> read) {
  const auto index = static_cast<std::size_t>(gauge);
  std::uint64_t id;
  {
    std::lock_guard<std::mutex> lk(impl_->readers_mu);
    id = impl_->next_id++;
    impl_->watched[index] = {id, std::move(read)};
  }
  Registration r;
  std::weak_ptr<Impl> weak = impl_;
  r.release_ = [weak, index, id] {
    auto impl = weak.lock();
    if (!impl) return;
    std::lock_guard<std::mutex> lk(impl->readers_mu);
    // Only if a later watch() has not replaced it.
    if (impl->watched[index].id == id) impl->watched[index] = {};
  };
  return r;
}

Registration Metrics::add_collector(Collector collector) {
  std::uint64_t id;
  {
    std::lock_guard<std::mutex> lk(impl_->readers_mu);
    id = impl_->next_id++;
    impl_->collectors.emplace(id, std::move(collector));
  }
  Registration r;
  std::weak_ptr<Impl> weak = impl_;
  r.release_ = [weak, id] {
    auto impl = weak.lock();
    if (!impl) return;
    std::lock_guard<std::mutex> lk(impl->readers_mu);
    impl->collectors.erase(id);
  };
  return r;
}

namespace {

// prometheus-cpp's builders throw std::invalid_argument on a bad name or a
// name taken by another type; atio reports that as a Status instead.
template <class Builder>
auto register_family(Builder builder, prometheus::Registry& registry, const std::string& name,
                     const std::string& help) -> Result<decltype(&builder.Register(registry))> {
  ATIO_RETURN_IF_ERROR(check_family(name, help));
  try {
    return &builder.Name(name).Help(help).Register(registry);
  } catch (const std::exception& e) {
    return Status(Code::kInvalidArgument, "metric " + name + ": " + e.what());
  }
}

}  // namespace

Result<Family<Counter>*> Metrics::add_counter(const std::string& name, const std::string& help) {
  return register_family(prometheus::BuildCounter(), impl_->registry, name, help);
}

Result<Family<Gauge>*> Metrics::add_gauge(const std::string& name, const std::string& help) {
  return register_family(prometheus::BuildGauge(), impl_->registry, name, help);
}

Result<Family<Histogram>*> Metrics::add_histogram(const std::string& name,
                                                  const std::string& help) {
  return register_family(prometheus::BuildHistogram(), impl_->registry, name, help);
}

std::string Metrics::scrape() const {
  std::vector<prometheus::MetricFamily> families = impl_->registry.Collect();
  for (auto& f : process_families(impl_->options.start_time_seconds)) {
    families.push_back(std::move(f));
  }
  {
    std::lock_guard<std::mutex> lk(impl_->readers_mu);
    for (std::size_t i = 0; i < kWatchedCount; ++i) {
      const auto& w = impl_->watched[i];
      if (!w.read) continue;
      std::optional<double> v = w.read();
      if (!v) continue;
      prometheus::ClientMetric m;
      m.gauge.value = *v;
      families.push_back({kWatchedDocs[i].name, kWatchedDocs[i].help,
                          prometheus::MetricType::Gauge, {m}});
    }
    for (const auto& [id, collect] : impl_->collectors) {
      for (auto& f : collect()) families.push_back(std::move(f));
    }
  }
  // One family per name: a later one with a name already used is dropped.
  std::set<std::string> seen;
  std::vector<prometheus::MetricFamily> unique;
  unique.reserve(families.size());
  for (auto& f : families) {
    if (seen.insert(f.name).second) unique.push_back(std::move(f));
  }
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, unique);
  return out.str();
}

}  // namespace atio::metrics
