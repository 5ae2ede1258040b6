// MISP core format -> STIX 2.1, following misp-stix's mapping
// (github.com/MISP/misp-stix, documentation/mapping/*stix21*). Internal to the
// MISP converter: misp_to_stix.h is the public entry point.
//
// Ids are derived from MISP uuids as misp-stix does: an attribute gives
// observed-data--<uuid>, indicator--<uuid> and its SCOs <sco type>--<uuid>;
// an object gives <type>--<object uuid>; a galaxy cluster
// <sdo type>--<cluster uuid>; an event report--<uuid> (grouping--<uuid> when
// unpublished). So the same MISP data always gives the same STIX ids and
// STIX -> MISP can recover the uuids. Relationships use misp-stix's UUIDv5.
//
// Every attribute and object becomes at least one STIX object: types without
// a mapping are kept as x-misp-attribute / x-misp-object custom objects.
// docs/misp-stix.md lists where atio differs from misp-stix and why.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace atio::convert::misp {

namespace bj = boost::json;

struct ToStixOptions {
  // misp-stix makes an unpublished event a grouping (a report must have a
  // publication time); true makes it a report published at the event date.
  bool unpublished_as_report = false;
};

class StixWriter {
 public:
  explicit StixWriter(ToStixOptions options) : options_(options) {}

  // Adds the objects of one MISP event (the inner object of {"Event": ...}).
  void event(const bj::object& event);
  // Adds attributes outside an event (a REST attribute collection): no
  // report, no identity unless an attribute names its event's Orgc.
  void attributes(const bj::array& attributes);

  // Every attribute (including those inside objects) seen so far, by uuid,
  // with the STIX ids made of it: how a caller checks nothing was dropped.
  const std::map<std::string, std::vector<std::string>>& attribute_ids() const {
    return attribute_ids_;
  }
  // Attributes that could not be read at all (no type or value), with why.
  const std::vector<std::string>& problems() const { return problems_; }

  // The bundle of everything added. `bundle_uuid` empty -> a random id.
  bj::object bundle(std::string_view bundle_uuid);

 private:
  // --- misp_to_stix.cc: events, common properties, markings
  void add(bj::object o, bool in_report = true);
  bool once(const std::string& id);  // false when `id` was already emitted
  bj::object sdo(std::string_view type, std::string_view uuid, std::string_view timestamp);
  std::string timestamp_of(const bj::object& misp) const;  // its timestamp or the event's
  // Applies tags: tlp:* -> object_marking_refs, others -> labels, except
  // the tag names in `skip` (galaxy clusters already converted).
  void apply_tags(const bj::object& misp, bj::object* stix, const std::set<std::string>& skip);
  void identity(std::string_view uuid, std::string_view name, std::string_view timestamp);
  void report(const bj::object& event, std::size_t first_ref);

  // --- misp_to_stix_attributes.cc
  void attribute(const bj::object& a);
  bj::object observed_data(const bj::object& misp, const bj::array& labels,
                           const std::vector<std::string>& refs);
  bj::object indicator(const bj::object& misp, const bj::array& labels, std::string pattern,
                       std::string_view pattern_type, std::string_view kill_chain_phase);
  void custom_attribute(const bj::object& a);
  bj::object based_on(const bj::object& indicator, const bj::object& observed);
  void note_ids(const bj::object& a, const std::vector<std::string>& ids);

  // --- misp_to_stix_objects.cc
  void object(const bj::object& o);
  void custom_object(const bj::object& o);

  // --- misp_to_stix_galaxies.cc
  // Converts the clusters of `galaxies`; returns their ids, and adds the tag
  // names they stand for to `tag_names`.
  std::vector<std::string> galaxies(const bj::array& galaxies, std::string_view timestamp,
                                    std::set<std::string>* tag_names);
  // Attribute galaxies: the clusters plus relationships from `source`.
  void attribute_galaxies(const bj::object& misp, const bj::object& source,
                          std::set<std::string>* tag_names);
  void sightings(const bj::array& sightings, const std::vector<std::string>& refs);

  ToStixOptions options_;
  bj::array objects_;
  std::vector<std::string> report_refs_;
  std::set<std::string> emitted_;
  std::vector<std::string> pending_markings_;  // TLP ids used, not yet emitted
  std::string creator_;                        // identity id of the current event
  std::string event_timestamp_;                // created/modified fallback
  std::map<std::string, std::vector<std::string>> attribute_ids_;
  std::map<std::string, std::string> cluster_values_;  // cluster uuid -> type=value
  std::vector<std::string> problems_;
};

// The attribute's uuid, or a UUIDv5 of its type, category and value when it
// has none (so the same data always gets the same ids).
std::string attribute_uuid(const bj::object& a);

// The labels misp-stix gives an attribute: misp:type="..", misp:category="..".
bj::array attribute_labels(const bj::object& a);

}  // namespace atio::convert::misp
