// Cases as the API shows them (docs/api.md): times as RFC 3339 text and as
// ms, and the case's MTTD/MTTA/MTTR (null until both ends exist).
#pragma once

#include <boost/json/object.hpp>

#include "atio/cases/metrics.h"
#include "atio/store/cases.h"

namespace atio::server {

boost::json::object case_json(const store::CaseRecord& r, cases::MttrEnd mttr_end);
boost::json::object case_timeline_json(const store::CaseTimelineEntry& e);
boost::json::object case_link_json(const store::CaseLink& l);

}  // namespace atio::server
