// The store: playbooks, executions and the step journal.
//
// Everything above this interface is backend-agnostic: the embedded SQLite
// backend (sqlite/) is the default and a PostgreSQL backend implements the
// same interface for many nodes. Writes go through submit(): a batch of typed
// write operations applied atomically and durably before its callback runs.
// Backends combine concurrent batches into one transaction (group commit), so
// durability does not cap throughput.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "atio/core/status.h"
#include "atio/store/audit.h"
#include "atio/store/cases.h"
#include "atio/store/large_outputs.h"
#include "atio/store/monitor.h"
#include "atio/store/users.h"

namespace atio::store {

namespace bj = boost::json;

// Execution lifecycle. Terminal: succeeded, failed, aborted.
enum class ExecutionStatus { kPending, kRunning, kSucceeded, kFailed, kAborted };
const char* to_string(ExecutionStatus s);
bool parse_execution_status(std::string_view s, ExecutionStatus* out);
bool is_terminal(ExecutionStatus s);

// Step lifecycle in the journal.
enum class StepStatus { kRunning, kWaiting, kSucceeded, kFailed };
const char* to_string(StepStatus s);
bool parse_step_status(std::string_view s, StepStatus* out);

struct PlaybookRecord {
  std::string id;        // CACAO playbook id
  std::string version;   // CACAO `modified`
  std::string name;
  bj::object document;   // the CACAO document as imported
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

struct ExecutionRecord {
  std::string id;               // uuid
  std::string playbook_id;
  std::string playbook_version;
  ExecutionStatus status = ExecutionStatus::kPending;
  bj::object variables;         // initial variables: name -> value
  bj::object trigger;           // {"kind":"webhook","hook_id":...} / {"kind":"manual"} ...
  std::string error;            // why it failed or was aborted
  std::int64_t created_at_ms = 0;
  std::int64_t finished_at_ms = 0;  // 0 while not finished
  // The node that runs it (NodeRecord::id); "" = none (a store used by one
  // process, or a row from before nodes shared the work).
  std::string owner;
};

// One journal entry per run of a step. `step_key` identifies the run within
// the execution (the step id, prefixed by the branch path for parallel
// branches, loop iterations and sub-playbooks), so the same step can run
// several times in one execution.
struct StepRecord {
  std::string execution_id;
  std::string step_key;
  std::string step_id;
  std::string step_type;
  StepStatus status = StepStatus::kRunning;
  std::int64_t started_at_ms = 0;
  std::int64_t finished_at_ms = 0;
  bj::object inputs;       // in_args and the command after substitution
  bj::object outputs;      // what the step produced (http status, body, ...)
  bj::object variables;    // variables the step wrote: name -> value
  std::string branch;      // which way a condition went: "true", "false", a case, ""
  std::string error;
};

// Write operations, applied in order within a batch.
struct PutPlaybook { PlaybookRecord playbook; };
struct DeletePlaybook { std::string id; };
struct InsertExecution { ExecutionRecord execution; };
// Execution writes are fenced by `owner` when it is not "": they fail with
// kConflict (is_ownership_lost) unless the execution is still that node's, so
// a node that lost an execution to another (its lease ran out) cannot write
// over the new owner's journal.
struct FinishExecution {
  std::string id;
  ExecutionStatus status;
  std::string error;
  std::int64_t finished_at_ms;
  std::string owner;
};
struct MarkExecutionRunning {
  std::string id;
  std::string owner;
};
struct PutStep {  // the latest record of (execution_id, step_key) wins
  StepRecord step;
  std::string owner;
};
// Takes over unfinished (pending or running) executions for node `owner`:
// those of no node, of a node that stopped, or of a node whose heartbeat is
// older than `stale_before_ms` (its lease ran out), oldest first, at most
// `limit`. Several nodes may claim at once: each execution goes to one
// (PostgreSQL: FOR UPDATE SKIP LOCKED). `*claimed` holds the ids taken
// when the batch succeeded (REQUIRES: claimed != null; the caller reads it
// in the batch's callback).
struct ClaimExecutions {
  std::string owner;
  std::int64_t stale_before_ms = 0;
  std::int64_t limit = 100;
  std::shared_ptr<std::vector<std::string>> claimed;
};
// Takes for node `owner` the backlog of busy nodes: executions another node
// accepted but has not started (pending) since before `created_before_ms`,
// oldest first, at most `limit` (PostgreSQL: FOR UPDATE SKIP LOCKED). The
// node that queued one finds, when it would start it, that it is not its own
// any more (its start is fenced). `*claimed` as for ClaimExecutions.
struct StealBacklog {
  std::string owner;
  std::int64_t created_before_ms = 0;
  std::int64_t limit = 0;
  std::shared_ptr<std::vector<std::string>> claimed;
};
// Wakes the other nodes listening on `channel` (Store::listen) once the
// batch commits; nothing on a store only one process uses.
struct Notify {
  std::string channel;
  std::string payload;
};

// Requests that reach a node other than the one running the execution
// (docs/postgresql.md, "Requests to any node"). Every node lists the manual
// steps that wait anywhere from manual_waits; an abort or an answer made on
// one node is a signal that the execution's owner applies.
struct ManualWaitRecord {
  std::string execution_id;
  std::string step_key;
  bj::object task;                // what the person is asked (actions/manual)
  std::int64_t created_at_ms = 0;
  std::string owner;              // read only: the node that runs the execution
};
// Insert or replace by (execution_id, step_key); written in the batch of the
// step's fenced "running" record, deleted in the batch of its end.
struct PutManualWait { ManualWaitRecord wait; };
struct DeleteManualWait {
  std::string execution_id;
  std::string step_key;
};
struct SignalRecord {
  std::string id;                 // uuid
  std::string execution_id;
  std::string kind;               // "abort" or "answer"
  std::string step_key;           // answer: the step answered
  bj::object body;                // abort: {by}; answer: {success, response, answered_by}
  std::int64_t created_at_ms = 0;
  std::string state = "pending";  // "pending", then "done" or "failed"
  std::string result;             // failed: why
  std::int64_t done_at_ms = 0;
};
struct SendSignal { SignalRecord signal; };
struct FinishSignal {
  std::string id;
  std::string state;              // "done" or "failed"
  std::string result;
  std::int64_t done_at_ms = 0;
};
// Forgets the signals applied (or failed) before `before_ms`.
struct PruneSignals { std::int64_t before_ms = 0; };

// API keys, webhooks and schedules (the server's triggers and credentials).
struct ApiKeyRecord {
  std::string id;        // uuid
  std::string name;      // shown as who acted ("admin", "siem-ingest", ...)
  std::string key_hash;  // hex SHA-256 of the key; the key itself is never stored
  std::int64_t created_at_ms = 0;
  std::string role = "admin";     // what the key may do (auth/permissions.h)
  std::int64_t expires_at_ms = 0;  // 0 = never; refused at or after this time
  std::int64_t revoked_at_ms = 0;  // 0 = not revoked
  std::string owner_user_id;       // the user it acts for ("" = none: a system key)
};

struct HookRecord {
  std::string id;           // uuid; the trigger URL is /api/v1/hooks/<id>
  std::string playbook_id;
  std::string name;
  std::string auth;         // "token" or "hmac"
  std::string token_hash;   // auth "token": hex SHA-256 of the token
  std::string secret;       // auth "hmac": the shared secret (needed to verify signatures)
  std::int64_t created_at_ms = 0;
};

struct ScheduleRecord {
  std::string id;  // uuid
  std::string playbook_id;
  std::string name;
  std::int64_t interval_seconds = 0;  // > 0 for an interval schedule, else 0
  std::string cron;                   // 5-field cron expression (UTC) when interval_seconds == 0
  bj::object variables;               // initial variables of each execution
  std::int64_t created_at_ms = 0;
  std::int64_t last_run_at_ms = 0;    // 0 = never ran
};

// The atio processes that work on this store (GET /api/v1/nodes): each
// writes its record when it starts, every few seconds after (its
// heartbeat), and once more when it stops cleanly.
struct NodeRecord {
  std::string id;                    // uuid, new at every start
  std::string version;               // atio's version
  std::string hostname;
  std::int64_t started_at_ms = 0;
  std::int64_t heartbeat_at_ms = 0;  // the latest record's time
  std::int64_t executions_running = 0;
  std::string state = "active";      // "active", or "stopped" once it ended cleanly
};
struct PutNode { NodeRecord node; };  // insert or replace by id
// Forgets nodes whose last heartbeat is older than `before_ms`.
struct PruneNodes { std::int64_t before_ms = 0; };

// Playbook writes that check existence inside the transaction, so two
// concurrent API calls cannot both create (or update a deleted) playbook.
struct CreatePlaybook { PlaybookRecord playbook; };  // kAlreadyExists when the id is taken
struct UpdatePlaybook { PlaybookRecord playbook; };  // kNotFound when the id is absent; keeps created_at
struct PutApiKey { ApiKeyRecord key; };
struct DeleteApiKey { std::string id; };
struct PutHook { HookRecord hook; };          // insert or replace by id
struct DeleteHook { std::string id; };
struct PutSchedule { ScheduleRecord schedule; };  // insert or replace by id
struct DeleteSchedule { std::string id; };
// Records a schedule's run. With `expect_last_run_at_ms` set, only when the
// stored last run is still that one (kAlreadyExists otherwise: another node
// started this due time first), so in the batch that stores the execution
// a schedule's due time starts one execution across all nodes.
struct MarkScheduleRun {
  std::string id;
  std::int64_t last_run_at_ms;
  std::optional<std::int64_t> expect_last_run_at_ms;
};

// Enrichment knowledge (atio/cti/enrich): the asset inventory, named
// settings (the policies, the risk model), and sightings per detection.
struct AssetRecord {
  std::string id;          // uuid
  std::string name;
  bj::object document;     // the asset as enrich::Asset::to_json() writes it
  std::int64_t updated_at_ms = 0;
};
struct PutAsset { AssetRecord asset; };  // insert or replace by id
struct DeleteAsset { std::string id; };  // kNotFound when absent
struct PutSetting {
  std::string name;   // "policies", "risk_model"
  bj::value document;
  std::int64_t updated_at_ms = 0;
};
struct SightingRecord {
  std::string detection_id;
  std::string first_seen;       // STIX timestamps: text order is time order
  std::string last_seen;
  std::int64_t count = 0;
  std::string asset_id;
  std::int64_t importance = 0;
  std::string last_occurrence;  // the STIX id that last counted
  bj::object external_ids;      // tool -> id
};
// Counts one occurrence (see enrich::SightingBook::record): first_seen and
// last_seen widen to `time`, count grows by one unless `occurrence` is the
// one counted last; asset and importance become these.
struct RecordSighting {
  std::string detection_id;
  std::string occurrence;
  std::string time;
  std::string asset_id;
  std::int64_t importance = 0;
};
struct SetExternalId {  // kNotFound for an unknown detection
  std::string detection_id;
  std::string tool;
  std::string id;
};

// The audit log (audit.h). AppendAudit goes in the same batch as the change
// it records, so that neither is written without the other; the writer fills
// seq, time, prev_hash and hash. CheckpointAudit signs the chain's head now
// A credential for an integration, sealed (secrets/vault.h): the store never
// holds it in the clear.
struct SecretRecord {
  std::string name;
  std::string sealed;       // "sb1:..." under the master key and this name
  std::string description;  // what it is for, shown in lists
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::string updated_by;   // the actor that set it last
};
struct PutSecret { SecretRecord secret; };  // insert, or replace keeping created_at
struct DeleteSecret { std::string name; };  // kNotFound when absent
// if no checkpoint covers it (a no-op when none is due or no signer is set).
struct AppendAudit { AuditRecord record; };
struct CheckpointAudit {};

// Playbook history and the workflow monitor (monitor.h). The writer numbers
// a version (previous highest of the playbook + 1) inside the transaction.
struct AppendPlaybookVersion { PlaybookVersionRecord version; };
struct SetPlaybookProtection {  // protect (insert or keep) or unprotect (delete)
  std::string playbook_id;
  bool is_protected = true;
  std::string by;
  std::int64_t at_ms = 0;
};
struct PrunePlaybookChanges { std::int64_t up_to_seq = 0; };  // the watcher has read them
struct AppendMonitorEvent { MonitorEventRecord event; };
struct PutMonitorTrigger { MonitorTriggerRecord trigger; };  // insert or replace by id
struct DeleteMonitorTrigger { std::string id; };

using WriteOp = std::variant<PutPlaybook, DeletePlaybook, InsertExecution, FinishExecution,
                             MarkExecutionRunning, PutStep, CreatePlaybook, UpdatePlaybook,
                             PutApiKey, DeleteApiKey, PutHook,
                             DeleteHook, PutSchedule, DeleteSchedule, MarkScheduleRun,
                             PutAsset, DeleteAsset, PutSetting, RecordSighting, SetExternalId,
                             AppendAudit, CheckpointAudit, PutSecret, DeleteSecret,
                             AppendPlaybookVersion,
                             SetPlaybookProtection, PrunePlaybookChanges, AppendMonitorEvent,
                             PutMonitorTrigger, DeleteMonitorTrigger,
                             // users.h
                             CreateUser, UpdateUser, RecordLogin, PutSession, DeleteSession,
                             DeleteUserSessions, DeleteExpiredSessions, RevokeApiKey,
                             // cases.h
                             WriteCase,
                             PutNode, PruneNodes, ClaimExecutions, StealBacklog, Notify,
                             PutManualWait, DeleteManualWait, SendSignal, FinishSignal,
                             PruneSignals,
                             // large_outputs.h
                             PutLargeOutputChunk, PutLargeOutput>;

// True for the kConflict a fenced execution write fails with.
bool is_ownership_lost(const Status& s);
Status ownership_lost(const std::string& execution_id);

// What the watcher reads in one consistent snapshot of the database.
struct PlaybookScan {
  std::vector<PlaybookChange> changes;   // change log rows after the given seq
  // Full scan: every playbook. Otherwise those named by `changes` that exist.
  std::vector<PlaybookRecord> playbooks;
  std::vector<PlaybookProtection> protection;  // every protected playbook
  std::vector<AuditRecord> audit;        // object_type "playbook", seq after the given one
  std::int64_t audit_head_seq = 0;       // the newest audit record's seq (0: none)
  std::int64_t schema_version = 0;       // PRAGMA schema_version
};

// A watch on the playbooks, on a connection of its own. Not thread-safe: one
// watcher thread uses it.
class PlaybookWatch {
 public:
  virtual ~PlaybookWatch() = default;
  // True when another connection committed anything since the last call
  // (PRAGMA data_version): cheap enough to call every few milliseconds.
  virtual Result<bool> changed() = 0;
  // Reads in one read transaction. `full`: every playbook, else only those
  // the new change log rows name.
  virtual Result<PlaybookScan> scan(bool full, std::int64_t after_change_seq,
                                    std::int64_t after_audit_seq) = 0;
};

struct ExecutionFilter {
  std::string playbook_id;                       // "" = any
  std::optional<ExecutionStatus> status;
  std::int64_t limit = 50;
  std::string after_id;                          // paging cursor: list executions created before this one
  std::int64_t since_ms = 0;                     // created at or after (0 = any)
  std::int64_t until_ms = 0;                     // created before (0 = any)
};

// Notifications other nodes sent with Notify, on a connection of its own.
// Not thread-safe: one thread waits on it.
class Listener {
 public:
  virtual ~Listener() = default;
  // Waits up to `timeout` and returns the channels notified meanwhile
  // (empty after a quiet timeout). kUnavailable while the database is away
  // (after waiting `timeout`); it reconnects and listens again by itself, so
  // the caller should look at the store afresh after an error.
  virtual Result<std::vector<std::string>> wait(std::chrono::milliseconds timeout) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies `ops` atomically; calls `done` (from a store thread) once they are
  // durable, or with the error. Batches submitted concurrently may share a
  // transaction; a failing batch never leaves part of itself applied.
  virtual void submit(std::vector<WriteOp> ops, std::function<void(Status)> done) = 0;
  // submit() and wait.
  Status write(std::vector<WriteOp> ops);

  virtual Result<std::optional<PlaybookRecord>> get_playbook(const std::string& id) = 0;
  virtual Result<std::vector<PlaybookRecord>> list_playbooks() = 0;

  virtual Result<std::optional<ExecutionRecord>> get_execution(const std::string& id) = 0;
  virtual Result<std::vector<ExecutionRecord>> list_executions(const ExecutionFilter& filter) = 0;
  // Executions not in a terminal state, oldest first (to resume after a crash).
  virtual Result<std::vector<ExecutionRecord>> unfinished_executions() = 0;
  // The state of every step run of an execution: the latest journal record of
  // each step key, listed in the order the step keys first appeared.
  virtual Result<std::vector<StepRecord>> get_steps(const std::string& execution_id) = 0;

  // API keys, hooks and schedules. The defaults answer kInternal so that a
  // backend (or test double) without server support still builds; the SQLite
  // backend implements them all.
  // The API key whose hash is `key_hash`; nullopt when none.
  virtual Result<std::optional<ApiKeyRecord>> find_api_key(const std::string& key_hash);
  virtual Result<std::vector<ApiKeyRecord>> list_api_keys();
  virtual Result<std::optional<HookRecord>> get_hook(const std::string& id);
  // Oldest first.
  virtual Result<std::vector<HookRecord>> list_hooks();
  virtual Result<std::optional<ScheduleRecord>> get_schedule(const std::string& id);
  // Oldest first.
  virtual Result<std::vector<ScheduleRecord>> list_schedules();

  // The nodes working on this store, the most recently started first.
  virtual Result<std::vector<NodeRecord>> list_nodes();

  // The manual steps waiting in unfinished executions, on any node, oldest
  // first; only those of `execution_id` when it is not empty.
  virtual Result<std::vector<ManualWaitRecord>> list_manual_waits(const std::string& execution_id);
  // The pending signals for the unfinished executions `owner` runs, oldest first.
  virtual Result<std::vector<SignalRecord>> pending_signals(const std::string& owner);
  virtual Result<std::optional<SignalRecord>> get_signal(const std::string& id);

  // Enrichment knowledge; the same kInternal defaults as above.
  // Ordered by name, then id.
  virtual Result<std::vector<AssetRecord>> list_assets();
  virtual Result<std::optional<AssetRecord>> get_asset(const std::string& id);
  virtual Result<std::optional<bj::value>> get_setting(const std::string& name);
  virtual Result<std::optional<SightingRecord>> get_sighting(const std::string& detection_id);
  // Detections last seen at or after `since` (a STIX timestamp; "" = any),
  // most recently seen first, at most `limit`.
  virtual Result<std::vector<SightingRecord>> recent_sightings(const std::string& since,
                                                               std::int64_t limit);
  // Importances of the detections on `asset_id` last seen at or after `since`.
  virtual Result<std::vector<std::int64_t>> asset_importances(const std::string& asset_id,
                                                              const std::string& since);

  // Users, sessions and API keys by id (users.h); the same kInternal
  // defaults as above.
  virtual Result<std::optional<UserRecord>> get_user(const std::string& id);
  // The user named `name`, compared without regard to ASCII case.
  virtual Result<std::optional<UserRecord>> find_user(const std::string& name);
  // Ordered by name.
  virtual Result<std::vector<UserRecord>> list_users();
  // The session whose token hash is `token_hash`, expired or not.
  virtual Result<std::optional<SessionRecord>> find_session(const std::string& token_hash);
  virtual Result<std::optional<ApiKeyRecord>> get_api_key(const std::string& id);

  // The audit log; the same kInternal defaults as above.
  // Records matching `filter`, oldest (or newest) first, at most filter.limit.
  virtual Result<std::optional<SecretRecord>> get_secret(const std::string& name);
  virtual Result<std::vector<SecretRecord>> list_secrets();  // by name
  virtual Result<std::vector<AuditRecord>> list_audit(const AuditFilter& filter);
  virtual Result<std::optional<AuditRecord>> get_audit(std::int64_t seq);
  virtual Result<AuditHead> audit_head();
  // Checkpoints with seq > after_seq, oldest first, at most `limit`.
  virtual Result<std::vector<AuditCheckpoint>> list_audit_checkpoints(std::int64_t after_seq,
                                                                      std::int64_t limit);

  // Playbook history and the workflow monitor; the same kInternal defaults.
  // Versions of a playbook, newest first, without their documents when
  // !with_documents. Kept after the playbook is deleted.
  virtual Result<std::vector<PlaybookVersionRecord>> list_playbook_versions(
      const std::string& playbook_id, bool with_documents);
  // version 0: the newest.
  virtual Result<std::optional<PlaybookVersionRecord>> get_playbook_version(
      const std::string& playbook_id, std::int64_t version);
  virtual Result<std::vector<PlaybookProtection>> list_protected_playbooks();
  // The page of notifications `page` names (SeqPage).
  virtual Result<std::vector<MonitorEventRecord>> list_monitor_events(const SeqPage& page);
  // Newest seq; 0 when none.
  virtual Result<std::int64_t> last_monitor_event_seq();
  virtual Result<std::vector<MonitorTriggerRecord>> list_monitor_triggers();
  // A watch on the playbooks on a connection of its own (monitor.h).
  virtual Result<std::unique_ptr<PlaybookWatch>> watch_playbooks();

  // Cases (cases.h); the same kInternal defaults.
  virtual Result<std::optional<CaseRecord>> get_case(const std::string& id);
  // Newest first, at most filter.limit.
  virtual Result<std::vector<CaseRecord>> list_cases(const CaseFilter& filter);
  // Oldest first.
  virtual Result<std::vector<CaseTimelineEntry>> case_timeline(const std::string& case_id);
  virtual Result<std::vector<CaseLink>> case_links(const std::string& case_id);
  // The newest open case with correlation key `key` (not "") whose window
  // takes a detection that occurred at `at_ms`: at_ms within its window of
  // [occurred_at, last_seen_at], or any time when its window is 0.
  virtual Result<std::optional<CaseRecord>> correlated_case(const std::string& key,
                                                            std::int64_t at_ms);
  // Cases with a link of `kind` to `ref` (e.g. "execution", an execution id), oldest first.
  virtual Result<std::vector<CaseRecord>> cases_linked_to(const std::string& kind,
                                                          const std::string& ref);
  // The times of the cases in the filter's window, oldest first.
  virtual Result<std::vector<CaseTimes>> case_times(const CaseTimesFilter& filter);
  // status -> number of cases.
  virtual Result<std::map<std::string, std::int64_t>> case_status_counts();

  // Large step outputs (large_outputs.h); the same kInternal defaults.
  // The output's record; nullopt when there is none (or its chunks are
  // still being written).
  virtual Result<std::optional<LargeOutputRecord>> get_large_output(const std::string& id);
  // Up to `length` bytes of the output from `offset` (fewer at its end; ""
  // from its end on). REQUIRES: offset >= 0, length >= 0. kNotFound when the
  // output has no record.
  virtual Result<std::string> read_large_output(const std::string& id, std::int64_t offset,
                                                std::int64_t length);

  // A listener for Notify on `channels`; null when no other process can
  // notify (the embedded store).
  virtual Result<std::unique_ptr<Listener>> listen(const std::vector<std::string>& channels);

  // Blocks until everything submitted so far is durable, then stops the writer.
  virtual void close() = 0;
};

}  // namespace atio::store
