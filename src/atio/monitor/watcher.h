// The built-in workflow monitor: a thread that watches the store's playbooks
// and reports every creation, modification and deletion, whatever made it.
//
// It polls the store's PlaybookWatch every `poll_interval` (PRAGMA
// data_version on a connection of its own: one cheap statement) and at once
// when signal() is called (the API does after each playbook write). When
// something was committed it reads the change log that the database's
// triggers fill (so a direct sqlite3 edit is seen like an API call), the
// changed playbooks and the new audit records in one read transaction, and
// hands them to the Detector. Every `full_scan_interval`, and whenever the
// schema changes (someone dropped a trigger), it reads every playbook and
// compares all content hashes, so a change that also forged the change log
// is still found.
//
// For each scan with changes it: restores protected playbooks changed
// without the right to (self-recovery: the last good version written back
// with an audit record by actor "atio" of kind "system"), records a version
// of unprotected playbooks changed outside atio, tells `on_changed` which
// playbooks changed (caches), and publishes one notification with all the
// scan's events. Detection latency is the poll interval plus one scan.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "atio/monitor/detector.h"
#include "atio/store/store.h"

namespace atio::monitor {

// Where notifications go (channels.h).
class Publisher {
 public:
  virtual ~Publisher() = default;
  // Called on the watcher thread; must not block on outside I/O.
  virtual void publish(const std::vector<ChangeEvent>& events, bj::array workflow_data) = 0;
};

struct WatcherOptions {
  std::chrono::milliseconds poll_interval{20};
  std::chrono::milliseconds full_scan_interval{2000};
  // How many change log rows may accumulate before they are pruned.
  std::int64_t prune_after_rows = 256;
  // false: start() takes the baseline but runs no thread; the caller drives
  // poll_once() (tests).
  bool run_thread = true;
  // Whether this node acts on what it sees: publishes events (the feed, the
  // store's monitor events, webhooks, syslog, cases), restores and records
  // outside versions. With several nodes one acts (postgres/duty_lock.h);
  // the others only keep their playbook caches and workflow data current.
  // When a node starts acting it first restores what was tampered with
  // meanwhile. Empty: always acts.
  std::function<bool()> acting;
};

class Watcher {
 public:
  // REQUIRES: `store` and `publisher` outlive the watcher.
  Watcher(store::Store& store, Publisher& publisher, WatcherOptions options = {});
  ~Watcher();  // stop()
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Called with each changed playbook id (e.g. to drop a cached copy).
  void on_changed(std::function<void(const std::string&)> fn) { on_changed_ = std::move(fn); }

  // Opens the watch, takes the baseline, restores protected playbooks that
  // were changed while atio was not running, and starts the thread.
  Status start();
  void stop();
  // Look now (a playbook write was just committed). Thread-safe.
  void signal();

  // One round of the loop, for tests that drive the watcher without its
  // thread: scans when anything changed (or `force_full`) and handles the
  // result. Returns the number of events published.
  Result<std::size_t> poll_once(bool force_full = false);

  // The current workflow_data (for GET /api/v1/workflows). Thread-safe.
  bj::array workflow_data() const;
  bool is_protected(const std::string& id) const;

 private:
  void loop();
  Status restore_tampered_at_start();
  bool acting_now();  // options_.acting, catching up when it turned true
  void recover(const RecoveryRequest& r);
  void record_outside_versions(const Detection& d, const store::PlaybookScan& scan);

  store::Store& store_;
  Publisher& publisher_;
  WatcherOptions options_;
  std::function<void(const std::string&)> on_changed_;
  std::unique_ptr<store::PlaybookWatch> watch_;
  Detector detector_;
  mutable std::mutex detector_mu_;  // guards detector_ reads from other threads
  std::chrono::steady_clock::time_point last_full_;
  std::int64_t pruned_up_to_ = 0;
  bool acted_ = false;  // acting at the last poll (loop thread only)

  std::mutex mu_;
  std::condition_variable cv_;
  bool signalled_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace atio::monitor
