// The cyber-observables one Windows event names (see winlog_stix.h for what
// is read from which field). Internal to the winlog converter.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "atio/cti/convert/winlog_event.h"

namespace atio::convert::winlog {

// SCOs in the order they were added, each id once: adding an SCO whose
// deterministic id is already there merges the new properties into it.
class ScoSet {
 public:
  // Finishes `sco` (type, spec_version, id) and adds it; returns the id.
  std::string add(std::string_view type, bj::object sco);
  const bj::array& objects() const { return objects_; }
  std::vector<std::string> ids() const;

 private:
  bj::array objects_;
};

// The roles the x-oca-event points at; empty when the event has none.
struct Roles {
  std::string user;     // the subject (or the only account)
  std::string process;  // the new, acting or installed process
  std::string network;  // the first network-traffic
};

// Adds every SCO of `e` to `scos`.
Roles add_observables(const Event& e, ScoSet& scos);

// "windows-local", "windows-domain" or "" (the domain does not tell) for an
// account of `domain` with `sid` seen on `computer`.
std::string_view account_type(std::string_view domain, std::string_view sid,
                              std::string_view computer);

}  // namespace atio::convert::winlog
