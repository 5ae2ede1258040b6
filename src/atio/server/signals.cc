#include "atio/server/signals.h"

#include <thread>

#include "atio/core/clock.h"
#include "atio/core/ids.h"

namespace atio::server {

namespace bj = boost::json;

Result<store::SignalRecord> send_signal(store::Store& store, store::SignalRecord signal,
                                        std::chrono::milliseconds wait) {
  signal.id = uuid_v4();
  signal.created_at_ms = wall_ms();
  signal.state = "pending";
  ATIO_RETURN_IF_ERROR(store.write({store::SendSignal{signal},
                                    store::Notify{kSignalsChannel, signal.execution_id}}));
  const auto until = std::chrono::steady_clock::now() + wait;
  auto pause = std::chrono::milliseconds(5);
  while (std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
    auto now = store.get_signal(signal.id);
    if (!now.is_ok()) return now.status();
    if (!*now) break;  // pruned: cannot happen within a request
    if ((*now)->state != "pending") return std::move(**now);
  }
  return signal;
}

SignalInbox::SignalInbox(store::Store& store, engine::Engine& engine, actions::ManualBoard& board,
                         std::string node_id)
    : store_(store), engine_(engine), board_(board), node_id_(std::move(node_id)) {}

std::pair<std::string, std::string> SignalInbox::apply_one(const store::SignalRecord& s) {
  auto text = [&s](const char* name) {
    const bj::value* v = s.body.if_contains(name);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  Status st;
  if (s.kind == "abort") {
    st = engine_.abort(s.execution_id, text("by"));
  } else if (s.kind == "answer") {
    actions::ManualAnswer a;
    const bj::value* ok = s.body.if_contains("success");
    a.success = !ok || !ok->is_bool() || ok->get_bool();
    if (const bj::value* r = s.body.if_contains("response")) a.response = *r;
    a.answered_by = text("answered_by");
    st = board_.answer(s.execution_id, s.step_key, a);
  } else {
    return {"failed", "unknown signal kind '" + s.kind + "'"};
  }
  if (st.is_ok()) return {"done", ""};
  if (st.code() != Code::kNotFound ||
      wall_ms() - s.created_at_ms >= static_cast<std::int64_t>(kPatience.count())) {
    return {"failed", st.message()};
  }
  // Not here yet: the execution is being resumed on this node (a takeover, a
  // restart) and runs, or asks, again shortly. A step whose wait is gone
  // from the store was answered, or ended, meanwhile.
  if (s.kind == "answer") {
    auto waits = store_.list_manual_waits(s.execution_id);
    if (!waits.is_ok()) return {"", ""};
    bool waits_still = false;
    for (const auto& w : *waits) waits_still = waits_still || w.step_key == s.step_key;
    if (!waits_still) return {"failed", st.message()};
  }
  return {"", ""};
}

void SignalInbox::apply() {
  auto pending = store_.pending_signals(node_id_);
  if (!pending.is_ok()) return;  // the store is away: the next sweep tries again
  std::map<std::string, std::pair<std::string, std::string>> unrecorded;
  for (const auto& s : *pending) {
    auto known = unrecorded_.find(s.id);
    std::pair<std::string, std::string> result =
        known != unrecorded_.end() ? known->second : apply_one(s);
    if (result.first.empty()) continue;
    Status st = store_.write({store::FinishSignal{s.id, result.first, result.second, wall_ms()}});
    if (!st.is_ok()) unrecorded[s.id] = result;  // recorded on the next apply(), not applied again
  }
  unrecorded_ = std::move(unrecorded);
}

}  // namespace atio::server
