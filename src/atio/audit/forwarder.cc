#include "atio/audit/forwarder.h"

#include <algorithm>
#include <iostream>

#include "atio/audit/export.h"
#include "atio/core/thread_name.h"

namespace atio::audit {

namespace {

constexpr const char* kSetting = "audit_forwarded_seq";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<std::unique_ptr<Forwarder>> Forwarder::start(store::Store& store,
                                                    ForwarderOptions options) {
  ATIO_ASSIGN_OR_RETURN(SyslogSender sender, SyslogSender::open(options.collector));
  std::unique_ptr<Forwarder> f(new Forwarder(store, std::move(options), std::move(sender)));
  ATIO_ASSIGN_OR_RETURN(auto saved, store.get_setting(kSetting));
  if (saved && saved->is_int64()) f->seq_ = saved->get_int64();
  f->idle_ = static_cast<bool>(f->options_.acting);  // read again when it takes the duty
  f->thread_ = std::thread([p = f.get()] { p->run(); });
  return f;
}

Forwarder::Forwarder(store::Store& store, ForwarderOptions options, SyslogSender sender)
    : store_(store), options_(std::move(options)), sender_(std::move(sender)) {}

Forwarder::~Forwarder() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::int64_t Forwarder::forwarded() const {
  std::lock_guard<std::mutex> lk(mu_);
  return seq_;
}

bool Forwarder::pass() {
  if (options_.acting && !options_.acting()) {
    idle_ = true;
    return true;
  }
  if (idle_) {
    // The node that had the duty went on meanwhile.
    auto saved = store_.get_setting(kSetting);
    if (!saved.is_ok()) {
      std::cerr << "atio: audit forwarding: " << saved.status().to_string() << "\n";
      return false;
    }
    if (*saved && (*saved)->is_int64()) {
      std::lock_guard<std::mutex> lk(mu_);
      seq_ = std::max(seq_, (*saved)->get_int64());
    }
    idle_ = false;
  }
  std::int64_t seq = forwarded();
  for (;;) {
    store::AuditFilter filter;
    filter.after_seq = seq;
    filter.limit = options_.batch;
    auto records = store_.list_audit(filter);
    if (!records.is_ok()) {
      std::cerr << "atio: audit forwarding: " << records.status().to_string() << "\n";
      return false;
    }
    if (records->empty()) return true;
    bool refused = false;
    const std::int64_t before = seq;
    for (const auto& r : *records) {
      if (Status s = sender_.send(syslog_line(r, options_.hostname)); !s.is_ok()) {
        std::cerr << "atio: audit forwarding: " << s.to_string() << " (record " << r.seq
                  << " and later wait)\n";
        refused = true;
        break;
      }
      seq = r.seq;
    }
    if (seq != before) {
      {
        std::lock_guard<std::mutex> lk(mu_);
        seq_ = seq;
      }
      Status st = store_.write({store::PutSetting{kSetting, boost::json::value(seq), now_ms()}});
      if (!st.is_ok()) std::cerr << "atio: audit forwarding: " << st.to_string() << "\n";
    }
    if (refused) return false;
    if (static_cast<std::int64_t>(records->size()) < options_.batch) return true;
  }
}

void Forwarder::run() {
  set_thread_name("atio-audit-fwd");
  std::chrono::milliseconds wait = options_.interval;
  for (;;) {
    const bool ok = pass();
    wait = ok ? options_.interval : std::min(options_.max_backoff, wait * 2);
    std::unique_lock<std::mutex> lk(mu_);
    if (stopping_) break;
    cv_.wait_for(lk, wait, [this] { return stopping_; });
    if (stopping_) {
      lk.unlock();
      pass();  // what the last moments wrote
      break;
    }
  }
}

}  // namespace atio::audit
