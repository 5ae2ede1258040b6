#include "atio/store/store.h"

#include <future>

namespace atio::store {

const char* to_string(ExecutionStatus s) {
  switch (s) {
    case ExecutionStatus::kPending: return "pending";
    case ExecutionStatus::kRunning: return "running";
    case ExecutionStatus::kSucceeded: return "succeeded";
    case ExecutionStatus::kFailed: return "failed";
    case ExecutionStatus::kAborted: return "aborted";
  }
  return "?";
}

bool parse_execution_status(std::string_view s, ExecutionStatus* out) {
  for (auto v : {ExecutionStatus::kPending, ExecutionStatus::kRunning, ExecutionStatus::kSucceeded,
                 ExecutionStatus::kFailed, ExecutionStatus::kAborted}) {
    if (s == to_string(v)) {
      *out = v;
      return true;
    }
  }
  return false;
}

bool is_terminal(ExecutionStatus s) {
  return s == ExecutionStatus::kSucceeded || s == ExecutionStatus::kFailed ||
         s == ExecutionStatus::kAborted;
}

const char* to_string(StepStatus s) {
  switch (s) {
    case StepStatus::kRunning: return "running";
    case StepStatus::kWaiting: return "waiting";
    case StepStatus::kSucceeded: return "succeeded";
    case StepStatus::kFailed: return "failed";
  }
  return "?";
}

bool parse_step_status(std::string_view s, StepStatus* out) {
  for (auto v : {StepStatus::kRunning, StepStatus::kWaiting, StepStatus::kSucceeded,
                 StepStatus::kFailed}) {
    if (s == to_string(v)) {
      *out = v;
      return true;
    }
  }
  return false;
}

namespace {
Status unsupported(const char* what) {
  return Status(Code::kInternal, std::string(what) + " is not supported by this store backend");
}
}  // namespace

Result<std::optional<ApiKeyRecord>> Store::find_api_key(const std::string&) {
  return unsupported("find_api_key");
}
Result<std::vector<ApiKeyRecord>> Store::list_api_keys() { return unsupported("list_api_keys"); }
Result<std::optional<SecretRecord>> Store::get_secret(const std::string&) {
  return unsupported("get_secret");
}
Result<std::vector<SecretRecord>> Store::list_secrets() { return unsupported("list_secrets"); }
Result<std::optional<HookRecord>> Store::get_hook(const std::string&) {
  return unsupported("get_hook");
}
Result<std::vector<HookRecord>> Store::list_hooks() { return unsupported("list_hooks"); }
Result<std::optional<ScheduleRecord>> Store::get_schedule(const std::string&) {
  return unsupported("get_schedule");
}
Result<std::vector<NodeRecord>> Store::list_nodes() { return unsupported("list_nodes"); }
Result<std::vector<ManualWaitRecord>> Store::list_manual_waits(const std::string&) {
  return unsupported("list_manual_waits");
}
Result<std::vector<SignalRecord>> Store::pending_signals(const std::string&) {
  return unsupported("pending_signals");
}
Result<std::optional<SignalRecord>> Store::get_signal(const std::string&) {
  return unsupported("get_signal");
}
Result<std::optional<LargeOutputRecord>> Store::get_large_output(const std::string&) {
  return unsupported("get_large_output");
}
Result<std::string> Store::read_large_output(const std::string&, std::int64_t, std::int64_t) {
  return unsupported("read_large_output");
}
Result<std::unique_ptr<Listener>> Store::listen(const std::vector<std::string>&) {
  return std::unique_ptr<Listener>();
}

namespace {
constexpr std::string_view kOwnershipLost = "runs on another node now: ";
}  // namespace

Status ownership_lost(const std::string& execution_id) {
  return Status(Code::kConflict, std::string(kOwnershipLost) + "execution " + execution_id);
}

bool is_ownership_lost(const Status& s) {
  return s.code() == Code::kConflict && s.message().find(kOwnershipLost) != std::string::npos;
}

Result<std::vector<ScheduleRecord>> Store::list_schedules() {
  return unsupported("list_schedules");
}
Result<std::vector<AssetRecord>> Store::list_assets() { return unsupported("list_assets"); }
Result<std::optional<AssetRecord>> Store::get_asset(const std::string&) {
  return unsupported("get_asset");
}
Result<std::optional<bj::value>> Store::get_setting(const std::string&) {
  return unsupported("get_setting");
}
Result<std::optional<SightingRecord>> Store::get_sighting(const std::string&) {
  return unsupported("get_sighting");
}
Result<std::vector<SightingRecord>> Store::recent_sightings(const std::string&, std::int64_t) {
  return unsupported("recent_sightings");
}
Result<std::vector<std::int64_t>> Store::asset_importances(const std::string&,
                                                           const std::string&) {
  return unsupported("asset_importances");
}

Result<std::optional<UserRecord>> Store::get_user(const std::string&) {
  return unsupported("get_user");
}
Result<std::optional<UserRecord>> Store::find_user(const std::string&) {
  return unsupported("find_user");
}
Result<std::vector<UserRecord>> Store::list_users() { return unsupported("list_users"); }
Result<std::optional<SessionRecord>> Store::find_session(const std::string&) {
  return unsupported("find_session");
}
Result<std::optional<ApiKeyRecord>> Store::get_api_key(const std::string&) {
  return unsupported("get_api_key");
}

Result<std::vector<AuditRecord>> Store::list_audit(const AuditFilter&) {
  return unsupported("list_audit");
}
Result<std::optional<AuditRecord>> Store::get_audit(std::int64_t) {
  return unsupported("get_audit");
}
Result<AuditHead> Store::audit_head() { return unsupported("audit_head"); }
Result<std::vector<AuditCheckpoint>> Store::list_audit_checkpoints(std::int64_t, std::int64_t) {
  return unsupported("list_audit_checkpoints");
}

Result<std::vector<PlaybookVersionRecord>> Store::list_playbook_versions(const std::string&, bool) {
  return unsupported("list_playbook_versions");
}
Result<std::optional<PlaybookVersionRecord>> Store::get_playbook_version(const std::string&,
                                                                         std::int64_t) {
  return unsupported("get_playbook_version");
}
Result<std::vector<PlaybookProtection>> Store::list_protected_playbooks() {
  return unsupported("list_protected_playbooks");
}
Result<std::vector<MonitorEventRecord>> Store::list_monitor_events(const SeqPage&) {
  return unsupported("list_monitor_events");
}
Result<std::int64_t> Store::last_monitor_event_seq() {
  return unsupported("last_monitor_event_seq");
}
Result<std::vector<MonitorTriggerRecord>> Store::list_monitor_triggers() {
  return unsupported("list_monitor_triggers");
}
Result<std::unique_ptr<PlaybookWatch>> Store::watch_playbooks() {
  return unsupported("watch_playbooks");
}

Result<std::optional<CaseRecord>> Store::get_case(const std::string&) {
  return unsupported("get_case");
}
Result<std::vector<CaseRecord>> Store::list_cases(const CaseFilter&) {
  return unsupported("list_cases");
}
Result<std::vector<CaseTimelineEntry>> Store::case_timeline(const std::string&) {
  return unsupported("case_timeline");
}
Result<std::vector<CaseLink>> Store::case_links(const std::string&) {
  return unsupported("case_links");
}
Result<std::optional<CaseRecord>> Store::correlated_case(const std::string&, std::int64_t) {
  return unsupported("correlated_case");
}
Result<std::vector<CaseRecord>> Store::cases_linked_to(const std::string&, const std::string&) {
  return unsupported("cases_linked_to");
}
Result<std::vector<CaseTimes>> Store::case_times(const CaseTimesFilter&) {
  return unsupported("case_times");
}
Result<std::map<std::string, std::int64_t>> Store::case_status_counts() {
  return unsupported("case_status_counts");
}

Status Store::write(std::vector<WriteOp> ops) {
  std::promise<Status> p;
  auto f = p.get_future();
  submit(std::move(ops), [&p](Status s) { p.set_value(std::move(s)); });
  return f.get();
}

}  // namespace atio::store
