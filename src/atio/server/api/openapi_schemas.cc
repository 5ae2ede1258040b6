// components/schemas of the OpenAPI document.
#include <boost/json/parse.hpp>

#include "atio/server/api/openapi.h"

namespace atio::server {

namespace {

const char* const kSchemas = R"json({
  "FieldError": {"type": "object", "required": ["pointer", "message"], "properties": {
    "pointer": {"type": "string", "description": "JSON pointer into the request body (\"\" = the whole body; /query/<name> = a query parameter)"},
    "message": {"type": "string", "description": "The rule that failed"}}},
  "Error": {"type": "object", "required": ["error"], "properties": {
    "error": {"type": "object", "required": ["code", "message", "errors"], "properties": {
      "code": {"type": "string", "example": "invalid_playbook"},
      "message": {"type": "string"},
      "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}}}}}},
  "Health": {"type": "object", "required": ["status", "version"], "properties": {
    "status": {"type": "string", "enum": ["ok", "unhealthy"]}, "version": {"type": "string"},
    "active_executions": {"type": "integer"},
    "reason": {"type": "string", "description": "Why not alive (only with 503)"}}},
  "HealthCheck": {"type": "object", "required": ["status"], "properties": {
    "status": {"type": "string", "enum": ["ok", "failing"]},
    "error": {"type": "string", "description": "What failed (only when failing)"}}},
  "Readiness": {"type": "object", "required": ["status", "version", "checks"], "properties": {
    "status": {"type": "string", "enum": ["ready", "not_ready"]}, "version": {"type": "string"},
    "checks": {"type": "object", "properties": {
      "store": {"$ref": "#/components/schemas/HealthCheck"},
      "engine": {"$ref": "#/components/schemas/HealthCheck"}}},
    "reason": {"type": "string", "description": "The first failing check and why (only with 503)"}}},
  "CacaoPlaybook": {"type": "object", "additionalProperties": true,
    "description": "An OASIS CACAO 2.0 playbook document",
    "required": ["type", "spec_version", "id", "name", "created_by", "created", "modified", "workflow_start", "workflow"],
    "properties": {"type": {"type": "string", "enum": ["playbook"]}, "spec_version": {"type": "string"},
      "id": {"type": "string", "pattern": "^playbook--"}, "name": {"type": "string"},
      "modified": {"type": "string", "format": "date-time"}, "workflow_start": {"type": "string"},
      "workflow": {"type": "object", "additionalProperties": {"type": "object"}}}},
  "PlaybookRef": {"type": "object", "properties": {
    "id": {"type": "string"}, "version": {"type": "string", "description": "The playbook's modified timestamp"},
    "name": {"type": "string"}}},
  "PlaybookSummary": {"type": "object", "properties": {
    "id": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"},
    "version": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"}}},
  "PlaybookList": {"type": "object", "properties": {
    "playbooks": {"type": "array", "items": {"$ref": "#/components/schemas/PlaybookSummary"}}}},
  "ExecutionStart": {"type": "object", "properties": {
    "variables": {"type": "object", "additionalProperties": true,
      "description": "Initial variables, name -> value; names with or without the surrounding __"}}},
  "ExecutionIds": {"type": "object", "properties": {
    "execution_ids": {"type": "array", "items": {"type": "string"}}}},
  "ExecutionOutcomes": {"type": "object", "properties": {
    "execution_ids": {"type": "array", "items": {"type": "string"}},
    "executions": {"type": "array", "description": "Only with ?wait", "items": {
      "type": "object", "properties": {
        "id": {"type": "string"},
        "status": {"type": "string", "enum": ["running", "succeeded", "failed", "aborted"]},
        "error": {"type": "string"}}}}}},
  "ExecutionSummary": {"type": "object", "properties": {
    "id": {"type": "string"}, "playbook_id": {"type": "string"}, "playbook_version": {"type": "string"},
    "status": {"type": "string", "enum": ["pending", "running", "succeeded", "failed", "aborted"]},
    "trigger": {"type": "object", "additionalProperties": true}, "error": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"},
    "finished_at": {"type": "string", "format": "date-time", "nullable": true},
    "duration_ms": {"type": "integer", "nullable": true},
    "node": {"type": "string", "description": "The node that runs (or ran) the execution (GET /api/v1/nodes)"}}},
  "ExecutionList": {"type": "object", "properties": {
    "executions": {"type": "array", "items": {"$ref": "#/components/schemas/ExecutionSummary"}},
    "next": {"type": "string", "nullable": true, "description": "Pass as ?after= for the next page; null on the last page"}}},
  "Step": {"type": "object", "properties": {
    "step_key": {"type": "string"}, "step_id": {"type": "string"}, "type": {"type": "string"},
    "status": {"type": "string", "enum": ["running", "waiting", "succeeded", "failed"]},
    "started_at": {"type": "string", "format": "date-time"},
    "finished_at": {"type": "string", "format": "date-time", "nullable": true},
    "duration_ms": {"type": "integer", "nullable": true},
    "inputs": {"type": "object", "additionalProperties": true},
    "outputs": {"type": "object", "additionalProperties": true},
    "variables": {"type": "object", "additionalProperties": true},
    "branch": {"type": "string"}, "error": {"type": "string"}}},
  "Execution": {"allOf": [{"$ref": "#/components/schemas/ExecutionSummary"}, {"type": "object", "properties": {
    "variables": {"type": "object", "additionalProperties": true},
    "steps": {"type": "array", "items": {"$ref": "#/components/schemas/Step"}},
    "manual_steps": {"type": "array", "items": {"$ref": "#/components/schemas/ManualStep"}}}}]},
  "ExecutionEventStream": {"type": "string", "description": "text/event-stream: `event: execution` whose data is the Execution, on connecting and after every change; `event: end` once it has ended"},
  "LargeOutputPage": {"type": "object", "description": "A page of a large step output (docs/large-outputs.md)", "properties": {
    "id": {"type": "string"}, "execution_id": {"type": "string"}, "step_key": {"type": "string"},
    "name": {"type": "string", "description": "Its key in the step's outputs"},
    "media_type": {"type": "string"},
    "bytes": {"type": "integer", "description": "The output's total size"},
    "offset": {"type": "integer"},
    "length": {"type": "integer", "description": "Bytes of the output this page holds"},
    "next_offset": {"type": "integer", "nullable": true, "description": "Where the next page starts; null on the last page"},
    "encoding": {"type": "string", "enum": ["utf-8", "base64"], "description": "utf-8: data is the bytes as text (a character cut by the limit starts the next page); base64: they are not UTF-8"},
    "data": {"type": "string"}}},
  "LargeOutputBytes": {"type": "string", "format": "binary", "description": "The output's bytes, with its media type as Content-Type"},
  "AbortAccepted": {"type": "object", "properties": {
    "id": {"type": "string"}, "status": {"type": "string", "enum": ["aborting"]},
    "node": {"type": "string", "description": "When another node runs the execution: its id"}}},
  "ManualStep": {"type": "object", "properties": {
    "execution_id": {"type": "string"}, "step_key": {"type": "string"}, "step_id": {"type": "string"},
    "step_name": {"type": "string"}, "playbook_id": {"type": "string"}, "command": {"type": "string"},
    "description": {"type": "string"}, "in_args": {"type": "object", "additionalProperties": true},
    "created_at": {"type": "string", "format": "date-time"}}},
  "ManualStepList": {"type": "object", "properties": {
    "manual_steps": {"type": "array", "items": {"$ref": "#/components/schemas/ManualStep"}}}},
  "ManualAnswer": {"type": "object", "properties": {
    "success": {"type": "boolean", "default": true, "description": "false takes the step's failure path"},
    "response": {"description": "Any JSON value: what the analyst answers"}}},
  "ManualAnswered": {"type": "object", "properties": {
    "execution_id": {"type": "string"}, "step_key": {"type": "string"}, "success": {"type": "boolean"},
    "answered_by": {"type": "string"},
    "status": {"type": "string", "enum": ["forwarded"], "description": "202 only: the node that runs the execution applies the answer when it gets to it"},
    "node": {"type": "string", "description": "202 only: that node's id"}}},
  "HookCreate": {"type": "object", "required": ["playbook_id"], "properties": {
    "playbook_id": {"type": "string"}, "auth": {"type": "string", "enum": ["token", "hmac"], "default": "token"},
    "name": {"type": "string"}}},
  "Hook": {"type": "object", "properties": {
    "hook_id": {"type": "string"}, "playbook_id": {"type": "string"}, "name": {"type": "string"},
    "auth": {"type": "string", "enum": ["token", "hmac"]}, "path": {"type": "string"}, "url": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"}}},
  "HookCreated": {"allOf": [{"$ref": "#/components/schemas/Hook"}, {"type": "object", "properties": {
    "token": {"type": "string", "description": "auth token: send as Authorization: Bearer or X-Atio-Token (shown once)"},
    "secret": {"type": "string", "description": "auth hmac: the HMAC-SHA256 key (shown once)"}}}]},
  "HookList": {"type": "object", "properties": {
    "hooks": {"type": "array", "items": {"$ref": "#/components/schemas/Hook"}}}},
  "Event": {"description": "Any JSON document (the __event__ variable), or NDJSON: one event per line"},
  "ScheduleCreate": {"type": "object", "required": ["playbook_id"], "properties": {
    "playbook_id": {"type": "string"}, "name": {"type": "string"},
    "interval_seconds": {"type": "integer", "minimum": 1, "description": "Give this or cron"},
    "cron": {"type": "string", "example": "*/5 * * * *", "description": "minute hour day-of-month month day-of-week, UTC"},
    "variables": {"type": "object", "additionalProperties": true}}},
  "Schedule": {"type": "object", "properties": {
    "id": {"type": "string"}, "playbook_id": {"type": "string"}, "name": {"type": "string"},
    "interval_seconds": {"type": "integer", "nullable": true}, "cron": {"type": "string", "nullable": true},
    "variables": {"type": "object", "additionalProperties": true},
    "created_at": {"type": "string", "format": "date-time"},
    "last_run_at": {"type": "string", "format": "date-time", "nullable": true},
    "next_run_at": {"type": "string", "format": "date-time", "nullable": true}}},
  "Node": {"type": "object", "properties": {
    "id": {"type": "string", "format": "uuid"}, "version": {"type": "string"},
    "hostname": {"type": "string"},
    "started_at": {"type": "string", "format": "date-time"},
    "last_heartbeat": {"type": "string", "format": "date-time"},
    "executions_running": {"type": "integer"},
    "state": {"type": "string", "enum": ["active", "stopped"]},
    "alive": {"type": "boolean", "description": "active, with a heartbeat in the last 10 s"},
    "self": {"type": "boolean", "description": "the node that answers"}}},
  "NodeList": {"type": "object", "properties": {
    "nodes": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}},
  "ScheduleList": {"type": "object", "properties": {
    "schedules": {"type": "array", "items": {"$ref": "#/components/schemas/Schedule"}}}},
  "Asset": {"type": "object", "required": ["name"], "properties": {
    "id": {"type": "string", "format": "uuid"}, "name": {"type": "string"},
    "ips": {"type": "array", "items": {"type": "string"}},
    "cidrs": {"type": "array", "items": {"type": "string", "example": "10.0.1.0/24"}},
    "hostnames": {"type": "array", "items": {"type": "string"}},
    "owner": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}},
    "criticality": {"type": "integer", "minimum": 1, "maximum": 5, "default": 3}}},
  "AssetInput": {"description": "One Asset, an array of them, {\"assets\": [...]}, or CSV (text/csv) with those column names"},
  "SecretInput": {"type": "object", "required": ["value"], "properties": {
    "value": {"oneOf": [{"type": "string", "minLength": 1},
                        {"type": "object", "additionalProperties": {"type": "string"}}]},
    "description": {"type": "string"}}},
  "SecretInfo": {"type": "object", "properties": {
    "name": {"type": "string"}, "description": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"},
    "updated_by": {"type": "string"}}},
  "SecretList": {"type": "object", "properties": {
    "secrets": {"type": "array", "items": {"$ref": "#/components/schemas/SecretInfo"}}}},
  "AssetList": {"type": "object", "properties": {
    "assets": {"type": "array", "items": {"$ref": "#/components/schemas/Asset"}}}},
  "Policy": {"type": "object", "required": ["name", "response"], "properties": {
    "name": {"type": "string"}, "description": {"type": "string"},
    "match": {"type": "object", "properties": {
      "kinds": {"type": "array", "items": {"type": "string", "enum": ["alert", "vulnerability"]}},
      "object_types": {"type": "array", "items": {"type": "string"}},
      "min_severity": {"type": "number"}, "min_importance": {"type": "integer"},
      "asset_tags": {"type": "array", "items": {"type": "string"}},
      "techniques": {"type": "array", "items": {"type": "string"}},
      "signature_contains": {"type": "array", "items": {"type": "string"}}}},
    "response": {"type": "array", "items": {"type": "string"}},
    "priority": {"type": "string", "enum": ["low", "medium", "high", "critical"]}}},
  "Policies": {"type": "object", "properties": {
    "policies": {"type": "array", "items": {"$ref": "#/components/schemas/Policy"}}}},
  "RiskModelConfig": {"type": "object", "properties": {
    "alert_severity": {"type": "object", "additionalProperties": {"type": "number"}},
    "confidence_floor": {"type": "number"},
    "criticality_weight": {"type": "object", "additionalProperties": {"type": "number"}},
    "unknown_asset_weight": {"type": "number"}, "risk_window_days": {"type": "integer"}}},
  "RiskModel": {"type": "object", "properties": {
    "configured": {"$ref": "#/components/schemas/RiskModelConfig"},
    "effective": {"$ref": "#/components/schemas/RiskModelConfig"}}},
  "Detection": {"type": "object", "properties": {
    "detection_id": {"type": "string"}, "first_seen": {"type": "string", "format": "date-time"},
    "last_seen": {"type": "string", "format": "date-time"}, "count": {"type": "integer"},
    "asset_id": {"type": "string", "nullable": true}, "importance": {"type": "integer"},
    "external_ids": {"type": "object", "additionalProperties": {"type": "string"}}}},
  "DetectionList": {"type": "object", "properties": {
    "detections": {"type": "array", "items": {"$ref": "#/components/schemas/Detection"}}}},
  "OpenApiDocument": {"type": "object", "additionalProperties": true}
,
  "AuditRecord": {"type": "object", "description": "One record of the audit log (docs/audit.md)", "properties": {
    "seq": {"type": "integer"}, "time": {"type": "string", "format": "date-time"},
    "time_ms": {"type": "integer", "description": "Milliseconds since the Unix epoch, as hashed"},
    "actor": {"type": "string"}, "actor_kind": {"type": "string", "enum": ["key", "user", "hook", "anonymous", "system"]},
    "actor_name": {"type": "string"}, "role": {"type": "string"},
    "source_ip": {"type": "string"}, "user_agent": {"type": "string"},
    "action": {"type": "string", "example": "playbook.update"},
    "object_type": {"type": "string"}, "object_id": {"type": "string"},
    "outcome": {"type": "string", "enum": ["success", "failure", "denied"]},
    "detail": {"type": "object", "additionalProperties": true},
    "detail_text": {"type": "string", "description": "detail exactly as hashed"},
    "prev_hash": {"type": "string"}, "hash": {"type": "string"}}},
  "AuditList": {"type": "object", "properties": {
    "records": {"type": "array", "items": {"$ref": "#/components/schemas/AuditRecord"}},
    "next": {"type": "integer", "nullable": true, "description": "Pass as ?after= for the next page; null on the last"}}},
  "AuditHead": {"type": "object", "properties": {
    "seq": {"type": "integer"}, "hash": {"type": "string"},
    "last_checkpoint": {"type": "object", "nullable": true}}},
  "AuditVerifyProblem": {"type": "object", "properties": {
    "kind": {"type": "string", "enum": ["edited", "deleted", "inserted", "reordered", "truncated", "bad_signature", "unknown_key"]},
    "seq": {"type": "integer"}, "message": {"type": "string"}}},
  "AuditVerification": {"type": "object", "properties": {
    "ok": {"type": "boolean"}, "records": {"type": "integer"}, "checkpoints": {"type": "integer"},
    "head_seq": {"type": "integer"}, "head_hash": {"type": "string"},
    "last_checkpoint_seq": {"type": "integer"}, "key_trusted": {"type": "boolean"},
    "problems": {"type": "array", "items": {"$ref": "#/components/schemas/AuditVerifyProblem"}},
    "summary": {"type": "string"}}},
  "AuditExport": {"type": "string", "description": "One AuditRecord as JSON per line, or one RFC 5424 syslog message per line"},
  "Metrics": {"type": "string", "description": "Prometheus text exposition format 0.0.4; docs/metrics.md lists every series"}
})json";

}  // namespace

boost::json::object openapi_schemas() {
  boost::json::object all = boost::json::parse(kSchemas).as_object();
  for (auto& kv : openapi_monitor_schemas()) all[kv.key()] = kv.value();
  for (auto& [name, schema] : openapi_account_schemas()) all[name] = schema;
  for (auto& [name, schema] : openapi_case_schemas()) all[name] = schema;
  return all;
}

}  // namespace atio::server
