// `x-atio-thehive`: TheHive 5 alerts (API v1, as TheHive4py's
// AlertEndpoint.create and types/alert.py InputAlert describe it).
//
// Authentication: "Authorization: Bearer <API key>": an oauth2
// authentication_info with kms: true naming a string secret (the key).
//
// Operation create_alert (the default; parameter: type, * required):
//   alert*: object         POST /api/v1/alert  alert
//                          TheHive requires type, source, sourceRef, title
//                          and description (strings); severity (1-4), tlp
//                          and pap (0-4), date (ms since the epoch), tags
//                          (strings) and observables ([{dataType, data, ...}])
//                          are optional. Checked at validation when given
//                          literally; type, source and sourceRef identify the
//                          alert, so TheHive refuses a second one with the
//                          same three.
//   organisation: string   sent as "X-Organisation" (a user in several
//                          organisations names the one to create it in).
// Outcome (besides connector.h's): outputs "id": the alert's _id.
// out_args: [0] <- _id, [1] <- the alert as TheHive answered it.
#pragma once

#include "atio/actions/connectors/connector.h"

namespace atio::actions::connectors {

class TheHiveCommand final : public ConnectorCommand {
 public:
  TheHiveCommand(std::shared_ptr<RetrySender> sender, HttpApiOptions options);

 protected:
  void check_operation(const Operation& op, const bj::object& raw, const std::string& pointer,
                       json::FieldErrors* errors) const override;
  void run(std::shared_ptr<Call> call, Done done) override;
};

// The rules of TheHive's InputAlert that `alert` breaks, as (field, rule)
// pairs; empty when none. Used at validation and before sending.
std::vector<std::pair<std::string, std::string>> thehive_alert_errors(const bj::object& alert);

}  // namespace atio::actions::connectors
