// `x-atio-misp`: the MISP REST API (MISP OpenAPI, app/webroot/doc/openapi.yaml).
//
// Authentication: MISP takes the bare automation key, "Authorization:
// <key>" (no "Bearer"): give the target an oauth2 authentication_info with
// kms: true naming a secret {"oauth_header": "<key>"} (docs/secrets.md).
// Every request sends Accept and Content-Type application/json, which MISP
// needs to treat it as an API call.
//
// Operations (parameter: type; * required):
//   add_event      event*: object            POST /events/add  {"Event": event}
//   edit_event     event_id*: id, event*: object
//                                            POST /events/edit/{event_id}  {"Event": event}
//   add_attribute  event_id*: id, attribute*: object
//                                            POST /attributes/add/{event_id}  attribute
//   add_object     event_id*: id, object*: object, template_id: id
//                                            POST /objects/add/{event_id}[/{template_id}]
//                                            {"Object": object}
//   add_sighting   one of value: string, values: array, id: id (attribute id or
//                  uuid), uuid: string; type: integer|string (0 sighting,
//                  1 false positive, 2 expiration), source: string,
//                  timestamp: integer            POST /sightings/add
//   search         filters*: object              POST /events/restSearch
//                                                filters + "returnFormat": "json"
// An event given already wrapped ({"Event": {...}}) is sent as it is.
//
// Outcome (besides connector.h's): outputs "id" (and "uuid") of the event,
// attribute, object or sighting the answer names; "dropped": the "errors"
// MISP lists in a 200 answer for what it did not save. search: outputs
// "count". out_args: [0] <- the id (search: the list of events, each the
// "Event" object), [1] <- the answer's object ("Event", "Attribute",
// "Object", "Sighting"; search: the count).
#pragma once

#include "atio/actions/connectors/connector.h"

namespace atio::actions::connectors {

class MispCommand final : public ConnectorCommand {
 public:
  MispCommand(std::shared_ptr<RetrySender> sender, HttpApiOptions options);

 protected:
  void check_operation(const Operation& op, const bj::object& raw, const std::string& pointer,
                       json::FieldErrors* errors) const override;
  void run(std::shared_ptr<Call> call, Done done) override;
};

}  // namespace atio::actions::connectors
