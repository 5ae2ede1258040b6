// What the x-atio-case command type asks of the cases (atio/cases
// implements it over the store; docs/cases.md). Kept here, beside the
// command, so that command types do not depend on the store.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "atio/core/status.h"

namespace atio::actions {

struct CaseRequest {
  enum class Kind { kOpen, kAcknowledge, kRespond, kLink };
  Kind kind = Kind::kOpen;
  // Where the request comes from: the execution is linked to the case, and
  // its creation (when atio received the event) is the default detected_at.
  std::string execution_id;
  std::string playbook_id;
  std::string step_id;

  // kOpen: a detection. The open case with the same correlation key within
  // the window is updated instead of opening another ("" key: always new).
  std::string title;
  std::string severity;               // "info" .. "critical"; "": from `score`
  double score = -1;                  // 0..10 (CVSS-like) when severity is ""
  std::string correlation_key;
  std::int64_t window_ms = -1;        // -1: the desk's default; 0: any time while open
  std::string use_case;               // "" : the playbook's "use-case-N" label, if any
  std::int64_t occurred_at_ms = 0;    // the detector's event time; 0: detected_at
  std::int64_t detected_at_ms = 0;    // the detector's report time; 0: receipt by atio
  std::vector<std::string> stix_refs;
  std::map<std::string, std::string> external_ids;  // tool -> id ("misp", "iris")
  boost::json::object detail;         // shown in the timeline (detection id, signature...)

  // kAcknowledge / kRespond: these cases; none: the cases linked to the
  // execution. kRespond: the response completed at at_ms (0: now), and the
  // tools' ids are linked.
  std::vector<std::string> case_ids;
  std::int64_t at_ms = 0;
};

struct CaseAnswer {
  std::string case_id;
  bool is_new = false;
  std::int64_t detection_count = 0;
  std::string status;
};

// Thread-safe; calls may block on a durable store write.
class CaseDesk {
 public:
  virtual ~CaseDesk() = default;
  // kOpen: one answer. Otherwise one per case changed.
  virtual Result<std::vector<CaseAnswer>> apply(const CaseRequest& request) = 0;
};

// Where there are no cases (validation only): every request fails.
class NoCaseDesk final : public CaseDesk {
 public:
  Result<std::vector<CaseAnswer>> apply(const CaseRequest&) override {
    return Status(Code::kUnavailable, "x-atio-case: this atio has no case store");
  }
};

}  // namespace atio::actions
