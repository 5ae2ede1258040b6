#include "atio/store/sqlite/schema.h"

#include <string>

#include "atio/store/sqlite/db.h"

namespace atio::store::sqlite {

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
};

}  // namespace

Status migrate(sqlite3* db) {
  Stmt v(db, "PRAGMA user_version");
  if (!v.ok() || v.step() != SQLITE_ROW) return error_status(db, "reading user_version");
  int version = static_cast<int>(v.int64(0));
  v.reset();
  const int newest = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);
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
  return Status();
}

}  // namespace atio::store::sqlite
