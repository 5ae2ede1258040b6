#include "atio/monitor/watcher.h"
#include "atio/core/clock.h"

#include <boost/json/serialize.hpp>

#include <cstdint>
#include <iostream>

#include "atio/core/thread_name.h"
#include "atio/monitor/protection.h"

namespace atio::monitor {

namespace {

std::string string_member(const bj::object& o, const char* key) {
  const bj::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

store::AuditRecord system_record(const std::string& playbook_id, const bj::object& detail) {
  return store::atio_audit_record("atio (self-recovery)", "playbook.recover", "playbook",
                                  playbook_id, bj::serialize(detail));
}

}  // namespace

Watcher::Watcher(store::Store& store, Publisher& publisher, WatcherOptions options)
    : store_(store), publisher_(publisher), options_(options), detector_(may_change_protected) {}

Watcher::~Watcher() { stop(); }

Status Watcher::start() {
  ATIO_ASSIGN_OR_RETURN(watch_, store_.watch_playbooks());
  (void)watch_->changed();  // the first call only reads the current data_version
  // The baseline needs no audit records (nothing is attributed), only the
  // head: every record from now on is read as it comes.
  ATIO_ASSIGN_OR_RETURN(auto scan, watch_->scan(true, 0, INT64_MAX));
  {
    std::lock_guard<std::mutex> lk(detector_mu_);
    detector_.baseline(scan);
  }
  last_full_ = std::chrono::steady_clock::now();
  acted_ = !options_.acting || options_.acting();
  if (acted_) ATIO_RETURN_IF_ERROR(restore_tampered_at_start());
  if (options_.run_thread) thread_ = named_thread("atio-monitor", [this] { loop(); });
  return Status();
}

void Watcher::stop() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Watcher::signal() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    signalled_ = true;
  }
  cv_.notify_all();
}

void Watcher::loop() {
  bool failing = false;
  for (;;) {
    {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait_for(lk, options_.poll_interval, [this] { return stopping_ || signalled_; });
      if (stopping_) return;
      signalled_ = false;
    }
    // An error is told once while it lasts (the database away would
    // otherwise print at every poll), and its end is told too.
    auto r = poll_once();
    if (!r.is_ok() && !failing) std::cerr << "atio: monitor: " << r.status().to_string() << "\n";
    if (r.is_ok() && failing) std::cerr << "atio: monitor: watching again\n";
    failing = !r.is_ok();
  }
}

Result<std::size_t> Watcher::poll_once(bool force_full) {
  ATIO_ASSIGN_OR_RETURN(bool changed, watch_->changed());
  bool full = force_full ||
              std::chrono::steady_clock::now() - last_full_ >= options_.full_scan_interval;
  if (!changed && !full) return std::size_t{0};
  std::int64_t after_change, after_audit, schema;
  {
    std::lock_guard<std::mutex> lk(detector_mu_);
    after_change = detector_.change_floor();
    after_audit = detector_.last_audit_seq();
    schema = detector_.schema_version();
  }
  ATIO_ASSIGN_OR_RETURN(auto scan, watch_->scan(full, after_change, after_audit));
  if (!full && scan.schema_version != schema) {
    // The schema changed (a trigger dropped?): compare everything.
    full = true;
    ATIO_ASSIGN_OR_RETURN(scan, watch_->scan(true, after_change, after_audit));
  }
  if (full) last_full_ = std::chrono::steady_clock::now();
  Detection d;
  bj::array data;
  {
    std::lock_guard<std::mutex> lk(detector_mu_);
    d = detector_.detect(scan, full, wall_ms());
    if (!d.events.empty()) data = detector_.workflow_data();
  }
  for (const auto& id : d.changed_ids) {
    if (on_changed_) on_changed_(id);
  }
  if (!acting_now()) return std::size_t{0};
  // Tell first, then repair: the notification of the deletion does not wait
  // for the restore, whose own event follows from the next scan.
  if (!d.events.empty()) publisher_.publish(d.events, std::move(data));
  for (const auto& r : d.recoveries) recover(r);
  record_outside_versions(d, scan);
  std::int64_t seen;
  {
    std::lock_guard<std::mutex> lk(detector_mu_);
    seen = detector_.change_floor();
  }
  if (seen - pruned_up_to_ >= options_.prune_after_rows) {
    store_.submit({store::PrunePlaybookChanges{seen}}, nullptr);
    pruned_up_to_ = seen;
  }
  return d.events.size();
}

bool Watcher::acting_now() {
  const bool act = !options_.acting || options_.acting();
  if (act && !acted_) {
    // This node just took the duty over: what changed while no node acted
    // (or the one that did died) is repaired first.
    Status s = restore_tampered_at_start();
    if (!s.is_ok()) {
      std::cerr << "atio: monitor: taking over: " << s.to_string() << "\n";
      return false;  // tried again at the next poll
    }
  }
  acted_ = act;
  return act;
}

void Watcher::recover(const RecoveryRequest& r) {
  const std::int64_t now = wall_ms();
  std::vector<store::WriteOp> ops;
  bj::object detail{{"name", r.name},
                    {"reason", r.reprotect && r.good_document.empty()
                                   ? "protection removed outside atio"
                                   : std::string(to_string(r.kind)) + " without the right to"},
                    {"changed_at_ms", r.changed_at_ms}};
  if (!r.good_document.empty()) {
    // The last good version: the newest stored version when it is what was
    // seen before the change (it always is, unless the versions were edited
    // too), else the document as seen.
    bj::object document = r.good_document;
    std::int64_t version = 0;
    auto latest = store_.get_playbook_version(r.playbook_id, 0);
    if (latest.is_ok() && *latest && (*latest)->content_hash == r.good_hash) {
      document = (*latest)->document;
      version = (*latest)->version;
    }
    store::PlaybookRecord p;
    p.id = r.playbook_id;
    p.name = string_member(document, "name");
    p.version = string_member(document, "modified");
    p.document = document;
    p.created_at_ms = p.updated_at_ms = now;
    detail["restored_version"] = version > 0 ? bj::value(version) : bj::value(nullptr);
    detail["hash_before"] = r.bad_hash.empty() ? bj::value(nullptr) : bj::value(r.bad_hash);
    detail["hash_after"] = store::playbook_content_hash(document);
    ops.push_back(store::PutPlaybook{std::move(p)});
  }
  // A deleted protected playbook comes back protected.
  ops.push_back(store::SetPlaybookProtection{r.playbook_id, true, "atio", now});
  ops.push_back(store::AppendAudit{system_record(r.playbook_id, detail)});
  Status s = store_.write(std::move(ops));
  if (!s.is_ok()) {
    std::cerr << "atio: monitor: could not restore playbook " << r.playbook_id << ": "
              << s.to_string() << "\n";
    return;
  }
  if (on_changed_) on_changed_(r.playbook_id);
}

void Watcher::record_outside_versions(const Detection& d, const store::PlaybookScan& scan) {
  std::vector<store::WriteOp> ops;
  for (const auto& e : d.events) {
    if (e.actor.audit_seq != 0 || e.kind == ChangeKind::kDeletion || e.is_protected) continue;
    for (const auto& p : scan.playbooks) {
      if (p.id != e.playbook_id) continue;
      store::PlaybookVersionRecord v;
      v.playbook_id = p.id;
      v.content_hash = e.hash_after;
      v.name = p.name;
      v.document = p.document;
      v.author = "unknown";
      v.author_kind = "unknown";
      v.author_name = kUnknownActor;
      v.time_ms = e.time_ms;
      v.comment = "changed outside atio (seen by the monitor)";
      ops.push_back(store::AppendPlaybookVersion{std::move(v)});
    }
  }
  if (!ops.empty()) store_.submit(std::move(ops), nullptr);
}

Status Watcher::restore_tampered_at_start() {
  ATIO_ASSIGN_OR_RETURN(auto protection, store_.list_protected_playbooks());
  std::map<std::string, Detector::Known> known;
  {
    std::lock_guard<std::mutex> lk(detector_mu_);
    known = detector_.known();
  }
  for (const auto& p : protection) {
    ATIO_ASSIGN_OR_RETURN(auto latest, store_.get_playbook_version(p.playbook_id, 0));
    if (!latest) continue;
    auto it = known.find(p.playbook_id);
    if (it != known.end() && it->second.hash == latest->content_hash) continue;
    RecoveryRequest r;
    r.playbook_id = p.playbook_id;
    r.name = latest->name;
    r.kind = it == known.end() ? ChangeKind::kDeletion : ChangeKind::kModification;
    r.good_document = latest->document;
    r.good_hash = latest->content_hash;
    r.bad_hash = it == known.end() ? "" : it->second.hash;
    r.changed_at_ms = wall_ms();  // unknown: while atio was not running
    recover(r);
  }
  return Status();
}

bj::array Watcher::workflow_data() const {
  std::lock_guard<std::mutex> lk(detector_mu_);
  return detector_.workflow_data();
}

bool Watcher::is_protected(const std::string& id) const {
  std::lock_guard<std::mutex> lk(detector_mu_);
  return detector_.is_protected(id);
}

}  // namespace atio::monitor
