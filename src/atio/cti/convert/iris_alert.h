// One STIX bundle as a DFIR-IRIS alert, the request body of POST
// /api/v2/alerts (and the legacy /alerts/add) in shared/corpus/iris.
//
// The bundle's "primary" object is its first report, else the first notable
// observed-data, sighting, indicator, observed-data, named custom object
// (attack-flow, x-mitre-collection), SDO other than identity, SDO, object.
//
//   alert_title              the report's name; else a summary of the primary
//                            object ("Windows event 4625 on HOST: logon failure",
//                            "Sighting of <indicator>", the indicator's name, ...)
//   alert_description        the primary object's description, the Windows
//                            message, and a count of the bundle's objects by type
//   alert_source             options.source, else the name of the identity the
//                            primary object is created_by, else the first
//                            identity of class "system", else "atio"
//   alert_source_ref         the primary object's id (the report id)
//   alert_source_link        its first external reference URL, when any
//   alert_source_event_time  the earliest first_observed of observed-data, else
//                            sighting first_seen, report published, indicator
//                            valid_from, the primary object's created
//   alert_severity_id        iris_signals.h; alert_tags likewise
//   alert_status_id          2 New
//   alert_customer_id        options.customer_id;  alert_classification_id likewise
//   alert_iocs               iris_iocs.h
//   alert_assets             each named infrastructure: asset_name, asset_ip (an
//                            address it consists-of, or x_atio_ip), asset_domain
//                            (the DNS suffix of the name), asset_type_id from
//                            x_atio_platform (windows 9, linux 4, macos 6) or
//                            infrastructure_types (firewall 2, routers-switches 12),
//                            else options.default_asset_type_id
//   alert_context            the x_atio_* properties (the primary object's first)
//   alert_source_content     the whole bundle
//   alert_id                 x_atio_iris_id of the report / primary object: the
//                            alert exists in IRIS and this document updates it
//                            (PUT /api/v2/alerts/{alert_id}, without alert_id)
#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "atio/core/status.h"
#include "atio/cti/convert/iris_ids.h"

namespace atio::convert::iris {

namespace bj = boost::json;

struct AlertOptions {
  int customer_id = 1;
  int classification_id = kClassificationOther;
  std::string source;  // "" = from the bundle, else "atio"
  int default_tlp_id = tlp::kAmber;
  int default_asset_type_id = asset_type::kWindowsComputer;
};

// kInvalidArgument when `bundle` has no objects array or it is empty.
Result<bj::object> bundle_to_alert(const bj::object& bundle, const AlertOptions& options);

}  // namespace atio::convert::iris
