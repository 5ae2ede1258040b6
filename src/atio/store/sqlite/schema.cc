#include "atio/store/sqlite/schema.h"

#include <string>
#include <vector>

#include "atio/store/monitor.h"
#include "atio/store/sql/conn.h"

namespace atio::store::sqlite {

using sql::Conn;
using sql::Stmt;
using sql::error_status;
using sql::exec;
using sql::run;

namespace {

// Migration N brings user_version from N to N+1. Append only; never edit a
// migration that has shipped.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE playbooks (
  id TEXT PRIMARY KEY,
  version TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE executions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  playbook_id TEXT NOT NULL,
  playbook_version TEXT NOT NULL,
  status TEXT NOT NULL,
  variables TEXT NOT NULL,
  trigger TEXT NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX executions_by_status ON executions(status, seq);
CREATE INDEX executions_by_playbook ON executions(playbook_id, seq);
CREATE TABLE steps (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id TEXT NOT NULL,
  step_key TEXT NOT NULL,
  step_id TEXT NOT NULL,
  step_type TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL DEFAULT 0,
  inputs TEXT NOT NULL DEFAULT '{}',
  outputs TEXT NOT NULL DEFAULT '{}',
  variables TEXT NOT NULL DEFAULT '{}',
  branch TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT ''
);
-- Append-only: a step's latest record (highest seq) is its state, so writing
-- one is a plain insert.
CREATE INDEX steps_by_execution ON steps(execution_id);
)sql",
    // 2: the server's credentials and triggers.
    R"sql(
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE TABLE hooks (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  playbook_id TEXT NOT NULL,
  name TEXT NOT NULL,
  auth TEXT NOT NULL,
  token_hash TEXT NOT NULL DEFAULT '',
  secret TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX hooks_by_playbook ON hooks(playbook_id);
CREATE TABLE schedules (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  playbook_id TEXT NOT NULL,
  name TEXT NOT NULL,
  interval_seconds INTEGER NOT NULL DEFAULT 0,
  cron TEXT NOT NULL DEFAULT '',
  variables TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  last_run_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX schedules_by_playbook ON schedules(playbook_id);
)sql",
    // 3: the step journal holds one row per execution per commit, its step
    // records as a JSON array (store/step_json.h); existing records move over.
    R"sql(
CREATE TABLE step_journal (
  seq INTEGER PRIMARY KEY,
  execution_id TEXT NOT NULL,
  records TEXT NOT NULL
);
INSERT INTO step_journal(execution_id, records)
  SELECT execution_id, json_array(json_object(
    'key', step_key, 'step_id', step_id, 'type', step_type, 'status', status,
    'started_at', started_at, 'finished_at', finished_at, 'inputs', json(inputs),
    'outputs', json(outputs), 'variables', json(variables), 'branch', branch, 'error', error))
  FROM steps ORDER BY seq;
DROP TABLE steps;
CREATE INDEX step_journal_by_execution ON step_journal(execution_id);
)sql",
    // 4: enrichment knowledge: assets, named settings, sightings per detection.
    R"sql(
CREATE TABLE assets (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE sightings (
  detection_id TEXT PRIMARY KEY,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  count INTEGER NOT NULL,
  asset_id TEXT NOT NULL DEFAULT '',
  importance INTEGER NOT NULL DEFAULT 0,
  last_occurrence TEXT NOT NULL DEFAULT '',
  external_ids TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX sightings_by_asset ON sightings(asset_id, last_seen);
CREATE INDEX sightings_by_last_seen ON sightings(last_seen);
)sql",
    // 5: the audit log (store/audit.h): a hash chain of records and the
    // signed checkpoints of its head. Append-only; nothing in atio updates
    // or deletes a row.
    R"sql(
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  actor TEXT NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  role TEXT NOT NULL,
  source_ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit(time);
CREATE INDEX audit_by_actor ON audit(actor, seq);
CREATE INDEX audit_by_action ON audit(action, seq);
CREATE INDEX audit_by_object ON audit(object_type, object_id, seq);
CREATE TABLE audit_checkpoints (
  seq INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  time INTEGER NOT NULL,
  signature TEXT NOT NULL,
  public_key TEXT NOT NULL
);
)sql",
    // 6: users and their UI sessions (store/users.h); API keys gain a role,
    // an expiry, a revocation time and an owner. Keys made before roles
    // existed could do everything: they become admin keys.
    R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_login_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  source_ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';
ALTER TABLE api_keys ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN revoked_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN owner_user_id TEXT NOT NULL DEFAULT '';
CREATE INDEX api_keys_by_owner ON api_keys(owner_user_id);
)sql",
    // 7: playbook history and the workflow monitor (store/monitor.h).
    // Versions are immutable and outlive their playbook; existing playbooks
    // become version 1 (content hashes filled in by fill_version_hashes(),
    // SQL has no SHA-256). The change log is written by triggers, so any
    // connection's change is logged, a direct sqlite3 edit included.
    R"sql(
CREATE TABLE playbook_versions (
  playbook_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  author TEXT NOT NULL,
  author_kind TEXT NOT NULL,
  author_name TEXT NOT NULL,
  time INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (playbook_id, version)
) WITHOUT ROWID;
INSERT INTO playbook_versions(playbook_id, version, content_hash, name, document, author,
                              author_kind, author_name, time, comment)
  SELECT id, 1, '', name, document, 'atio', 'system', 'migration', updated_at,
         'the playbook as it was when versions were introduced'
  FROM playbooks;
CREATE TABLE playbook_protection (
  playbook_id TEXT PRIMARY KEY,
  protected_by TEXT NOT NULL,
  protected_at INTEGER NOT NULL
);
CREATE TABLE playbook_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  playbook_id TEXT NOT NULL,
  op TEXT NOT NULL,
  time INTEGER NOT NULL
);
CREATE TRIGGER playbooks_logged_insert AFTER INSERT ON playbooks BEGIN
  INSERT INTO playbook_changes(playbook_id, op, time)
    VALUES (NEW.id, 'insert', CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER));
END;
CREATE TRIGGER playbooks_logged_update AFTER UPDATE ON playbooks BEGIN
  INSERT INTO playbook_changes(playbook_id, op, time)
    VALUES (OLD.id, 'update', CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER));
  INSERT INTO playbook_changes(playbook_id, op, time)
    SELECT NEW.id, 'update', CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)
    WHERE NEW.id <> OLD.id;
END;
CREATE TRIGGER playbooks_logged_delete AFTER DELETE ON playbooks BEGIN
  INSERT INTO playbook_changes(playbook_id, op, time)
    VALUES (OLD.id, 'delete', CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER));
END;
CREATE TRIGGER protection_logged_insert AFTER INSERT ON playbook_protection BEGIN
  INSERT INTO playbook_changes(playbook_id, op, time)
    VALUES (NEW.playbook_id, 'protect', CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER));
END;
CREATE TRIGGER protection_logged_delete AFTER DELETE ON playbook_protection BEGIN
  INSERT INTO playbook_changes(playbook_id, op, time)
    VALUES (OLD.playbook_id, 'unprotect', CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER));
END;
CREATE TABLE monitor_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  time INTEGER NOT NULL,
  source TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE monitor_triggers (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  playbook_id TEXT NOT NULL,
  name TEXT NOT NULL,
  kinds TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
)sql",
    // 8: integration credentials, sealed (secrets/vault.h).
    R"sql(
CREATE TABLE secrets (
  name TEXT PRIMARY KEY,
  sealed TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL DEFAULT ''
);
)sql",
    // 9: cases (store/cases.h): a row per case with its times in ms, the
    // timeline of every change, and links to STIX objects, executions and
    // the ids other tools gave the case.
    R"sql(
CREATE TABLE cases (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL,
  assignee TEXT NOT NULL DEFAULT '',
  correlation_key TEXT NOT NULL DEFAULT '',
  correlation_window INTEGER NOT NULL DEFAULT 0,
  playbook_id TEXT NOT NULL DEFAULT '',
  use_case TEXT NOT NULL DEFAULT '',
  detection_count INTEGER NOT NULL DEFAULT 1,
  occurred_at INTEGER NOT NULL,
  detected_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  acknowledged_at INTEGER NOT NULL DEFAULT 0,
  acknowledged_by TEXT NOT NULL DEFAULT '',
  responded_at INTEGER NOT NULL DEFAULT 0,
  resolved_at INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  revision INTEGER NOT NULL
);
CREATE INDEX cases_by_key ON cases(correlation_key, seq) WHERE correlation_key <> '';
CREATE INDEX cases_by_detected ON cases(detected_at);
CREATE INDEX cases_by_updated ON cases(updated_at);
CREATE INDEX cases_by_status ON cases(status, seq);
CREATE TABLE case_timeline (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  actor_name TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_timeline_by_case ON case_timeline(case_id, seq);
CREATE TABLE case_links (
  case_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  tool TEXT NOT NULL DEFAULT '',
  ref TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, kind, tool, ref)
) WITHOUT ROWID;
CREATE INDEX case_links_by_ref ON case_links(kind, ref);
)sql",
    // 10: the nodes working on the store (GET /api/v1/nodes).
    R"sql(
CREATE TABLE nodes (
  id TEXT PRIMARY KEY,
  version TEXT NOT NULL,
  hostname TEXT NOT NULL DEFAULT '',
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  executions_running INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL DEFAULT 'active'
);
)sql",
    // 11: executions carry the node that runs them (store.h ExecutionRecord::owner), as PostgreSQL's migration 3.
    R"sql(
ALTER TABLE executions ADD COLUMN owner TEXT NOT NULL DEFAULT '';
)sql",
    // 12: requests that reach another node than the execution's (store.h
    // ManualWaitRecord, SignalRecord), as PostgreSQL's migration 4.
    R"sql(
CREATE TABLE manual_waits (
  execution_id TEXT NOT NULL,
  step_key TEXT NOT NULL,
  task TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (execution_id, step_key)
);
CREATE TABLE execution_signals (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  execution_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  step_key TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  result TEXT NOT NULL DEFAULT '',
  done_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX execution_signals_pending ON execution_signals(execution_id) WHERE state = 'pending';
)sql",
    // 13: step outputs too large for the journal, in chunks (store/large_outputs.h), deleted
    // with their execution; as PostgreSQL's migration 6. The bytes come last in a chunk's row,
    // so reading its other columns does not read them.
    R"sql(
CREATE TABLE large_outputs (
  id TEXT PRIMARY KEY,
  execution_id TEXT NOT NULL,
  step_key TEXT NOT NULL,
  name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  chunk_bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX large_outputs_by_execution ON large_outputs(execution_id);
CREATE TABLE large_output_chunks (
  output_id TEXT NOT NULL,
  chunk INTEGER NOT NULL,
  execution_id TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (output_id, chunk)
);
CREATE INDEX large_output_chunks_by_execution ON large_output_chunks(execution_id);
CREATE TRIGGER large_outputs_follow_execution AFTER DELETE ON executions BEGIN
  DELETE FROM large_output_chunks WHERE execution_id = OLD.id;
  DELETE FROM large_outputs WHERE execution_id = OLD.id;
END;
)sql",
};

}  // namespace

int newest_schema_version() {
  return static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);
}

Status migrate(Conn* db) {
  Stmt v(db, "PRAGMA user_version");
  if (!v.ok() || v.step() != sql::kRow) return error_status(db, "reading user_version");
  int version = static_cast<int>(v.int64(0));
  v.reset();
  const int newest = newest_schema_version();
  if (version > newest) {
    return Status(Code::kIo, "database schema version " + std::to_string(version) +
                                 " is newer than this atio (" + std::to_string(newest) + ")");
  }
  for (int i = version; i < newest; ++i) {
    ATIO_RETURN_IF_ERROR(exec(db, "BEGIN IMMEDIATE"));
    Status s = exec(db, kMigrations[i]);
    if (s.is_ok()) s = exec(db, ("PRAGMA user_version = " + std::to_string(i + 1)).c_str());
    if (!s.is_ok()) {
      (void)exec(db, "ROLLBACK");
      return std::move(s).with_context("migration " + std::to_string(i + 1));
    }
    ATIO_RETURN_IF_ERROR(exec(db, "COMMIT"));
  }
  return fill_version_hashes(db);
}

Status fill_version_hashes(Conn* db) {
  Stmt missing(db, "SELECT playbook_id, version, document FROM playbook_versions"
                   " WHERE content_hash = ''");
  if (!missing.ok()) return error_status(db, "reading versions without a hash");
  struct Fill {
    std::string id, hash;
    std::int64_t version;
  };
  std::vector<Fill> fills;
  int rc;
  while ((rc = missing.step()) == sql::kRow) {
    fills.push_back({missing.text(0), playbook_content_hash(missing.object(2)), missing.int64(1)});
  }
  if (rc != sql::kDone) return error_status(db, "reading versions without a hash");
  missing.reset();
  if (fills.empty()) return Status();
  ATIO_RETURN_IF_ERROR(exec(db, "BEGIN IMMEDIATE"));
  Stmt set(db, "UPDATE playbook_versions SET content_hash=? WHERE playbook_id=? AND version=?");
  for (const Fill& f : fills) {
    set.bind(1, f.hash).bind(2, f.id).bind(3, f.version);
    Status s = run(db, set, "filling a version's hash");
    set.reset();
    if (!s.is_ok()) {
      (void)exec(db, "ROLLBACK");
      return s;
    }
  }
  return exec(db, "COMMIT");
}

}  // namespace atio::store::sqlite
