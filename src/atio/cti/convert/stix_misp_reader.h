// STIX 2.1 bundle -> one MISP event. Internal to the MISP converter:
// stix_to_misp.h is the public entry point.
//
// STIX made by misp-stix or atio (labels misp:type / misp:name, ids carrying
// MISP uuids, x-misp-* custom objects) comes back as the attributes, objects,
// galaxies and tags it was made of, with the same uuids. Other STIX is read
// by object type: SCOs become attributes, simple indicator patterns become
// to_ids attributes (an unreadable pattern is kept whole as a stix2-pattern
// attribute), vulnerabilities become vulnerability attributes, attack
// patterns, malware, tools, threat actors, intrusion sets and courses of
// action become galaxy clusters, TLP markings become tlp:* tags.
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

class EventReader {
 public:
  // REQUIRES: every element of `objects` is a JSON object with a string id.
  explicit EventReader(const bj::array& objects);

  // The event ({"Event": {...}}).
  bj::object read();

  // STIX objects that gave nothing to the event, by type ("location": 2).
  const std::map<std::string, std::size_t>& unused() const { return unused_; }
  std::size_t used() const { return used_.size(); }

 private:
  // --- stix_to_misp.cc
  const bj::object* get(std::string_view id) const;
  void use(std::string_view id) { used_.insert(std::string(id)); }
  void event_header(const bj::object& report);
  bj::array tags_of(const bj::object& stix, bool drop_misp_labels) const;
  void galaxy(const bj::object& sdo);
  void custom_attribute(const bj::object& o);
  void custom_object(const bj::object& o);
  void sighting(const bj::object& s, bool false_positive);
  // Attribute fields shared by every attribute made of STIX objects.
  bj::object attribute_base(const bj::object& stix, std::string_view type,
                            std::string value) const;

  // --- stix_to_misp_attributes.cc
  // A MISP attribute made by misp-stix/atio: observed-data and/or indicator.
  void labelled_attribute(std::string_view type, const bj::object* observed,
                          const bj::object* indicator);
  // STIX from elsewhere.
  void foreign_observed(const bj::object& observed);
  void foreign_indicator(const bj::object& indicator);
  void vulnerability(const bj::object& v);
  std::vector<const bj::object*> scos_of(const bj::object& observed) const;

  // --- stix_to_misp_objects.cc
  void labelled_object(std::string_view name, const bj::object& base,
                       const bj::object* observed, const bj::object* indicator);

  const bj::array& objects_;
  std::map<std::string, const bj::object*, std::less<>> by_id_;
  std::map<std::string, std::string> indicator_of_;  // observed-data id -> indicator id
  std::set<std::string> used_;
  std::map<std::string, std::size_t> unused_;
  std::map<std::string, std::string> attribute_of_;  // STIX id -> MISP attribute uuid
  std::map<std::string, bj::array> sightings_;        // MISP attribute uuid -> sightings
  void remember(const bj::object& attribute, std::initializer_list<const bj::object*> stix);
  bj::object event_;
  bj::array attributes_, misp_objects_, tags_;
  std::map<std::string, bj::object> galaxies_;  // by galaxy type
};

// "misp:type" of ["misp:type=\"ip-dst\"", ...] -> "ip-dst"; "" when absent.
std::string label_value(const bj::object& stix, std::string_view key);

}  // namespace atio::convert::misp
