// components/schemas of cases and their metrics (docs/cases.md).
#include <boost/json/parse.hpp>

#include "atio/server/api/openapi.h"

namespace atio::server {

namespace {

const char* const kSchemas = R"json({
  "Case": {"type": "object", "properties": {
    "id": {"type": "string"}, "title": {"type": "string"},
    "severity": {"type": "string", "enum": ["info", "low", "medium", "high", "critical"]},
    "status": {"type": "string", "enum": ["new", "acknowledged", "responding", "resolved", "false_positive"]},
    "assignee": {"type": "string", "nullable": true},
    "correlation_key": {"type": "string", "description": "Detections with this key update the case while it is open"},
    "correlation_window_ms": {"type": "integer", "description": "0: any time while open"},
    "playbook_id": {"type": "string"}, "use_case": {"type": "string"},
    "detection_count": {"type": "integer"},
    "occurred_at": {"type": "string", "format": "date-time", "nullable": true, "description": "The detector's event time (earliest detection)"},
    "occurred_at_ms": {"type": "integer", "nullable": true},
    "detected_at": {"type": "string", "format": "date-time", "nullable": true, "description": "When the detector reported it, else when atio received it"},
    "detected_at_ms": {"type": "integer", "nullable": true},
    "last_seen_at": {"type": "string", "format": "date-time", "nullable": true},
    "last_seen_at_ms": {"type": "integer", "nullable": true},
    "acknowledged_at": {"type": "string", "format": "date-time", "nullable": true},
    "acknowledged_at_ms": {"type": "integer", "nullable": true},
    "acknowledged_by": {"type": "string", "nullable": true},
    "responded_at": {"type": "string", "format": "date-time", "nullable": true, "description": "When the playbook's response actions completed"},
    "responded_at_ms": {"type": "integer", "nullable": true},
    "resolved_at": {"type": "string", "format": "date-time", "nullable": true},
    "resolved_at_ms": {"type": "integer", "nullable": true},
    "mttd_ms": {"type": "integer", "nullable": true, "description": "detected_at - occurred_at"},
    "mtta_ms": {"type": "integer", "nullable": true, "description": "acknowledged_at - detected_at"},
    "mttr_ms": {"type": "integer", "nullable": true, "description": "responded_at (or resolved_at, per --mttr-end) - detected_at"},
    "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
    "revision": {"type": "integer"}}},
  "CaseList": {"type": "object", "properties": {
    "cases": {"type": "array", "items": {"$ref": "#/components/schemas/Case"}},
    "next": {"type": "string", "nullable": true, "description": "Pass as ?after= for the next page; null on the last"}}},
  "CaseTimelineEntry": {"type": "object", "properties": {
    "seq": {"type": "integer"}, "time": {"type": "string", "format": "date-time"}, "time_ms": {"type": "integer"},
    "kind": {"type": "string", "enum": ["opened", "detection", "acknowledged", "assigned", "status", "severity", "comment", "responded"]},
    "actor": {"type": "string"}, "actor_name": {"type": "string"}, "detail": {"type": "object"}}},
  "CaseLink": {"type": "object", "properties": {
    "kind": {"type": "string", "enum": ["stix", "execution", "external"]},
    "tool": {"type": "string", "description": "For external ids: misp, iris, ..."},
    "ref": {"type": "string"}, "added_at": {"type": "string", "format": "date-time"}}},
  "CaseDetail": {"allOf": [{"$ref": "#/components/schemas/Case"}, {"type": "object", "properties": {
    "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/CaseTimelineEntry"}},
    "links": {"type": "array", "items": {"$ref": "#/components/schemas/CaseLink"}}}}]},
  "CaseAcknowledge": {"type": "object", "properties": {"note": {"type": "string"}}},
  "CaseAssign": {"type": "object", "required": ["assignee"], "properties": {
    "assignee": {"type": "string", "description": "Who works on the case; \"\" for nobody"}}},
  "CaseStatusChange": {"type": "object", "required": ["status"], "properties": {
    "status": {"type": "string", "enum": ["acknowledged", "responding", "resolved", "false_positive"]},
    "note": {"type": "string"}}},
  "CaseComment": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
  "DurationSummary": {"type": "object", "properties": {
    "count": {"type": "integer"}, "mean_ms": {"type": "number"}, "median_ms": {"type": "number"},
    "p90_ms": {"type": "number", "description": "Nearest rank: the ceil(0.9 n)-th smallest"}}},
  "CaseMetricsGroup": {"type": "object", "properties": {
    "key": {"type": "string"}, "cases": {"type": "integer"},
    "mttd": {"$ref": "#/components/schemas/DurationSummary"},
    "mtta": {"$ref": "#/components/schemas/DurationSummary"},
    "mttr": {"$ref": "#/components/schemas/DurationSummary"}}},
  "CaseMetrics": {"type": "object", "properties": {
    "since": {"type": "string", "format": "date-time", "nullable": true},
    "until": {"type": "string", "format": "date-time", "nullable": true},
    "group_by": {"type": "string", "enum": ["none", "playbook", "use_case", "severity"]},
    "mttr_end": {"type": "string", "enum": ["responded", "resolved"]},
    "overall": {"$ref": "#/components/schemas/CaseMetricsGroup"},
    "groups": {"type": "array", "items": {"$ref": "#/components/schemas/CaseMetricsGroup"}}}}
})json";

}  // namespace

boost::json::object openapi_case_schemas() { return boost::json::parse(kSchemas).as_object(); }

}  // namespace atio::server
