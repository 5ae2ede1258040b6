// `x-atio-iris`: the DFIR-IRIS alerts API (IRIS >= 2.4, API v2.1.0; the
// OpenAPI files dfir-iris/iris-doc-src, resources/api_v2_alerts*.yaml and
// alerts_escalate_{alert_id}.yaml).
//
// Authentication: "Authorization: Bearer <API key>": an oauth2
// authentication_info with kms: true naming a string secret (the key).
//
// Operations (parameter: type; * required):
//   create_alert    alert*: object        POST /api/v2/alerts  alert
//                   (IRIS requires alert_title, alert_severity_id,
//                   alert_status_id, alert_customer_id,
//                   alert_classification_id)
//   update_alert    alert_id*: id, alert*: object
//                                         PUT /api/v2/alerts/{alert_id}  alert (partial)
//   add_ioc         case_id*: id, ioc*: object (IRIS requires ioc_value,
//                   ioc_type_id, ioc_tlp_id; ioc_description, ioc_tags, ...)
//                                         POST /api/v2/cases/{case_id}/iocs  ioc
//                   (IOCs belong to cases in IRIS's API; an alert's IOCs are
//                   given with the alert, alert_iocs, or come with its
//                   escalation)
//   escalate_alert  alert_id*: id, case_title: string, note: string,
//                   case_tags: string, case_template_id: id,
//                   import_as_event: boolean, iocs_import_list: array,
//                   assets_import_list: array (IOC / asset UUIDs)
//                                         POST /alerts/escalate/{alert_id}
//
// Outcome (besides connector.h's): outputs "id": alert_id (add_ioc: the
// ioc_id; escalate_alert: the new case_id). out_args: [0] <- that id (an
// integer), [1] <- the alert (the IOC, the case) as IRIS answered it.
#pragma once

#include "atio/actions/connectors/connector.h"

namespace atio::actions::connectors {

class IrisCommand final : public ConnectorCommand {
 public:
  IrisCommand(std::shared_ptr<RetrySender> sender, HttpApiOptions options);

 protected:
  void run(std::shared_ptr<Call> call, Done done) override;
};

}  // namespace atio::actions::connectors
