// atio's Prometheus metrics: the instruments that the engine and the webhook
// trigger update as things happen, the values read when /metrics is scraped,
// and the text exposition (format 0.0.4). docs/metrics.md lists every series.
//
// Contract:
// - The event methods (executions_started ... webhook_rejected) are
//   thread-safe, never fail and are cheap enough for every step: a shared-lock
//   lookup of the cached labelled child (no allocation once the label values
//   have been seen) and an atomic add (a histogram observation also takes
//   prometheus-cpp's per-child mutex). A label value seen for the first time
//   allocates its child once; children are never removed.
// - Values that live elsewhere (the engine's queue, the manual steps waiting,
//   the audit log's length; later the cases by status) are not copied into
//   instruments: their owner registers a reader at start-up (watch() for
//   atio's own gauges, add_collector() for whole families), and each scrape
//   asks it for the current value on the scraping thread.
// - scrape() renders the registry's families, then the collectors' in the
//   order they were added. A family whose name an earlier family already
//   used is left out of that scrape, so a collector cannot make the
//   exposition invalid.
//
// Adding series from another module (the cases module's "cases by status"
// and MTTD/MTTA/MTTR histograms are meant to come this way):
//   - values kept in that module's store, read when scraped: a Collector
//     that returns families built with gauge_snapshot()/histogram_snapshot()
//     (atio/metrics/snapshot.h) from what it reads, registered once at
//     start-up with add_collector(); keep the returned Registration as long
//     as the collector may be called;
//   - events that module sees (a case acknowledged): a family made once at
//     start-up with add_counter/add_gauge/add_histogram, its labelled
//     children cached by the caller (atio/metrics/children.h).
// Series names start with atio_ and carry their unit (_seconds, _total).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atio/core/status.h"
#include "atio/core/version.h"

namespace prometheus {
class Registry;
}

namespace atio::metrics {

// The Content-Type of scrape()'s text.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

// Why a webhook request started nothing (the `reason` label).
enum class WebhookRejection {
  kUnauthenticated,  // missing or wrong token or signature (401)
  kUnknownHook,      // no such hook (404)
  kInvalid,          // a body or query that is not valid (400)
  kTooLarge,         // the body or its event count is over the limit (413)
  kBusy,             // too many executions running or queued (429)
  kError,            // atio could not store them (5xx)
};
std::string_view rejection_name(WebhookRejection r);

// Gauges whose value lives elsewhere and is read at each scrape (watch()).
enum class Watched {
  kExecutionsQueued,    // atio_executions_queued: stored, waiting for a run slot
  kExecutionsActive,    // atio_executions_active: accepted and not ended
  kManualStepsWaiting,  // atio_manual_steps_waiting: waiting for a person
  kAuditChainLength,    // atio_audit_chain_length: records in the audit log's hash chain
};

struct MetricsOptions {
  std::string version = kVersion;  // atio_build_info{version}
  // process_start_time_seconds; 0: now.
  double start_time_seconds = 0;
};

// Removes what it registered when destroyed (a collector, a watched gauge).
// Destruction waits for a scrape that is calling it to finish, so the reader
// may capture objects that die right after the Registration.
class Registration {
 public:
  Registration() = default;
  Registration(Registration&&) noexcept;
  Registration& operator=(Registration&&) noexcept;
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;
  ~Registration();
  void release();

 private:
  friend class Metrics;
  std::function<void()> release_;
};

// Families of current values, called at each scrape on the scraping thread.
// It must not call scrape(), and should answer quickly: scrapes wait for it.
using Collector = std::function<std::vector<prometheus::MetricFamily>()>;

class Metrics {
 public:
  explicit Metrics(MetricsOptions options = {});
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // --- Events (engine) ---
  // `n` executions of `playbook_id` were stored and will run.
  void executions_started(std::string_view playbook_id, std::size_t n = 1);
  // An execution ended; `status` is its final status ("succeeded", "failed",
  // "aborted").
  void execution_finished(std::string_view playbook_id, std::string_view status);
  // A step ran (not one replayed from the journal): its CACAO step type, the
  // command type of an action step ("" for other steps) and how long it took
  // from its start (its delay included) to its end.
  void step_finished(std::string_view step_type, std::string_view command_type, double seconds);

  // --- Events (webhook trigger) ---
  // A request to hook `hook_id` was accepted: `events` executions stored.
  void webhook_accepted(std::string_view hook_id, std::size_t events);
  // A request started nothing. `hook_id` is "" when the hook does not exist
  // (so callers cannot create series at will).
  void webhook_rejected(std::string_view hook_id, WebhookRejection why);

  // --- Values read at scrape time ---
  // `read` gives the gauge's value, or nullopt to leave it out of this scrape
  // (e.g. the store could not be read). One reader per gauge: a later watch()
  // of the same gauge replaces the earlier one.
  [[nodiscard]] Registration watch(Watched gauge, std::function<std::optional<double>()> read);
  [[nodiscard]] Registration add_collector(Collector collector);

  // Families for another module's own events, made once at start-up.
  // kInvalidArgument for a name Prometheus does not accept or one already
  // registered with another type.
  Result<prometheus::Family<prometheus::Counter>*> add_counter(const std::string& name,
                                                               const std::string& help);
  Result<prometheus::Family<prometheus::Gauge>*> add_gauge(const std::string& name,
                                                           const std::string& help);
  Result<prometheus::Family<prometheus::Histogram>*> add_histogram(const std::string& name,
                                                                   const std::string& help);

  // Every series in the text exposition format 0.0.4. Thread-safe.
  std::string scrape() const;

  // The step-duration histogram's bucket bounds, in seconds.
  static const std::vector<double>& step_buckets();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace atio::metrics
