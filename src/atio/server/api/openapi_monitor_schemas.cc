// components/schemas of playbook versions and the workflow monitor.
#include <boost/json/parse.hpp>

#include "atio/server/api/openapi.h"

namespace atio::server {

namespace {

const char* const kSchemas = R"json({
  "VersionAuthor": {"type": "object", "properties": {
    "id": {"type": "string"}, "kind": {"type": "string", "description": "key, user, system, unknown"},
    "name": {"type": "string"}}},
  "PlaybookVersionInfo": {"type": "object", "properties": {
    "playbook_id": {"type": "string"}, "version": {"type": "integer", "minimum": 1},
    "hash": {"type": "string", "description": "SHA-256 (hex) of the document's RFC 8785 canonical JSON"},
    "name": {"type": "string"}, "author": {"$ref": "#/components/schemas/VersionAuthor"},
    "time": {"type": "string", "format": "date-time"}, "comment": {"type": "string"}}},
  "PlaybookVersion": {"allOf": [{"$ref": "#/components/schemas/PlaybookVersionInfo"},
    {"type": "object", "properties": {"document": {"$ref": "#/components/schemas/CacaoPlaybook"}}}]},
  "PlaybookVersionList": {"type": "object", "properties": {
    "playbook_id": {"type": "string"},
    "versions": {"type": "array", "items": {"$ref": "#/components/schemas/PlaybookVersionInfo"}}}},
  "PlaybookDiff": {"type": "object", "properties": {
    "playbook_id": {"type": "string"},
    "from": {"$ref": "#/components/schemas/PlaybookVersionInfo"},
    "to": {"$ref": "#/components/schemas/PlaybookVersionInfo"},
    "diff": {"type": "array", "description": "RFC 6902 operations (add, remove, replace)", "items": {"type": "object"}}}},
  "PlaybookRestored": {"type": "object", "properties": {
    "id": {"type": "string"}, "restored_from": {"type": "integer"},
    "version": {"$ref": "#/components/schemas/PlaybookVersionInfo"}}},
  "PlaybookProtection": {"type": "object", "properties": {
    "id": {"type": "string"}, "protected": {"type": "boolean"}}},
  "ChangeEvent": {"type": "object", "properties": {
    "kind": {"type": "string", "enum": ["creation", "modification", "deletion"]},
    "id": {"type": "string"}, "name": {"type": "string"},
    "actor": {"type": "string", "description": "Who: the key or user name; \"unknown (outside atio)\" for a change that did not go through atio"},
    "actor_id": {"type": "string"}, "actor_kind": {"type": "string"}, "role": {"type": "string"},
    "time": {"type": "string", "format": "date-time"}, "time_ms": {"type": "integer"},
    "detected_at": {"type": "string", "format": "date-time"}, "detection_ms": {"type": "integer"},
    "hash_before": {"type": "string", "nullable": true}, "hash_after": {"type": "string", "nullable": true},
    "protected": {"type": "boolean"}, "audit_seq": {"type": "integer"}, "audit_action": {"type": "string"},
    "changes": {"type": "array", "items": {"type": "object"}, "description": "Modifications: RFC 6902 operations"},
    "recovery": {"type": "object", "description": "What self-recovery did (restored_version, recovery_ms, ...)"}}},
  "Notification": {"type": "object", "properties": {
    "notification": {"type": "object", "properties": {
      "CreationEvents": {"type": "array", "items": {"$ref": "#/components/schemas/ChangeEvent"}},
      "ModificationEvents": {"type": "array", "items": {"$ref": "#/components/schemas/ChangeEvent"}},
      "DeletionEvents": {"type": "array", "items": {"$ref": "#/components/schemas/ChangeEvent"}}}},
    "workflow_data": {"type": "array", "items": {"type": "object"}}}},
  "MonitorEvent": {"allOf": [{"$ref": "#/components/schemas/Notification"},
    {"type": "object", "properties": {"seq": {"type": "integer"}, "event_id": {"type": "string"},
      "time": {"type": "string", "format": "date-time"}, "source": {"type": "string"}}}]},
  "MonitorEventList": {"type": "object", "properties": {
    "events": {"type": "array", "items": {"$ref": "#/components/schemas/MonitorEvent"}},
    "next": {"type": "integer", "nullable": true, "description": "Pass as ?after= for the next page; null on the last"}}},
  "MonitorEventStream": {"type": "string", "description": "text/event-stream: one `event: notification` per MonitorEvent, its seq as the SSE id"},
  "MonitorTriggerCreate": {"type": "object", "required": ["playbook_id"], "properties": {
    "playbook_id": {"type": "string"}, "name": {"type": "string"},
    "kinds": {"type": "array", "items": {"type": "string", "enum": ["creation", "modification", "deletion"]},
      "description": "Start on notifications with an event of one of these kinds (default all)"}}},
  "MonitorTrigger": {"type": "object", "properties": {
    "id": {"type": "string"}, "playbook_id": {"type": "string"}, "name": {"type": "string"},
    "kinds": {"type": "array", "items": {"type": "string"}},
    "created_at": {"type": "string", "format": "date-time"}}},
  "MonitorTriggerList": {"type": "object", "properties": {
    "triggers": {"type": "array", "items": {"$ref": "#/components/schemas/MonitorTrigger"}}}},
  "ShuffleWorkflow": {"type": "object", "description": "A playbook in the shape of Shuffle's Workflow",
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"},
      "created": {"type": "integer", "description": "Unix seconds"}, "edited": {"type": "integer", "description": "Unix seconds"},
      "updated_by": {"type": "string"}, "actions": {"type": "array", "items": {"type": "object"}},
      "branches": {"type": "array", "items": {"type": "object"}}, "triggers": {"type": "array", "items": {"type": "object"}},
      "workflow_variables": {"type": "array", "items": {"type": "object"}}, "start": {"type": "string"},
      "is_valid": {"type": "boolean"}}},
  "ShuffleWorkflowList": {"type": "array", "items": {"$ref": "#/components/schemas/ShuffleWorkflow"}}
})json";

}  // namespace

boost::json::object openapi_monitor_schemas() { return boost::json::parse(kSchemas).as_object(); }

}  // namespace atio::server
