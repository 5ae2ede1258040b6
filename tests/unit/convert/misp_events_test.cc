// The 9 real MISP events of the corpus: each converts with every attribute
// accounted for in its report (or grouping), TLP tags as the standard
// marking definitions, every galaxy cluster and sighting as a STIX object,
// and indicator patterns that the STIX pattern validator accepts.
#include <gtest/gtest.h>

#include "atio/cti/convert/misp_to_stix.h"
#include "atio/cti/convert/misp_types.h"
#include "atio/cti/convert/registry.h"
#include "atio/cti/stix/object.h"
#include "atio/cti/stix/pattern_validate.h"
#include "misp_test_util.h"

namespace atio::convert {
namespace {

using testing::load;
using testing::misp_corpus;

struct Converted {
  std::string file;
  bj::object event;
  MispToStix stix;
};

std::vector<Converted> convert_corpus() {
  std::vector<Converted> out;
  for (const auto& f : std::filesystem::directory_iterator(misp_corpus() + "/events")) {
    bj::value doc = load(f.path().string());
    bj::object event = doc.as_object().contains("Event") ? doc.at("Event").as_object()
                                                        : doc.as_object();
    auto r = misp_to_stix(doc);
    EXPECT_TRUE(r.is_ok()) << f.path() << r.status().to_string();
    if (r.is_ok()) out.push_back({f.path().filename().string(), event, std::move(r).value()});
  }
  return out;
}

std::vector<const bj::object*> all_attributes(const bj::object& e) {
  std::vector<const bj::object*> out;
  if (const auto* a = json::get_array(e, "Attribute")) {
    for (const auto& v : *a) out.push_back(&v.as_object());
  }
  if (const auto* objects = json::get_array(e, "Object")) {
    for (const auto& o : *objects) {
      for (const auto& v : o.at("Attribute").as_array()) out.push_back(&v.as_object());
    }
  }
  return out;
}

std::map<std::string, const bj::object*> by_id(const bj::object& bundle) {
  std::map<std::string, const bj::object*> m;
  for (const auto& o : bundle.at("objects").as_array()) {
    m[std::string(o.at("id").as_string())] = &o.as_object();
  }
  return m;
}

TEST(MispEvents, EveryAttributeIsInTheReport) {
  const auto events = convert_corpus();
  ASSERT_EQ(events.size(), 9u);
  std::size_t attributes = 0;
  for (const auto& c : events) {
    const auto ids = by_id(c.stix.bundle);
    const std::string uuid = misp::text(c.event, "uuid");
    const bool published = misp::flag(c.event, "published") &&
                           misp::text(c.event, "publish_timestamp") != "0";
    const std::string report_id = (published ? "report--" : "grouping--") + uuid;
    ASSERT_TRUE(ids.count(report_id)) << c.file << " " << report_id;
    const bj::object& report = *ids.at(report_id);
    EXPECT_EQ(report.at("name"), c.event.at("info")) << c.file;
    std::set<std::string> refs;
    for (const auto& r : report.at("object_refs").as_array()) refs.insert(std::string(r.as_string()));
    for (const bj::object* a : all_attributes(c.event)) {
      const std::string au = misp::text(*a, "uuid");
      auto it = c.stix.attribute_ids.find(au);
      ASSERT_NE(it, c.stix.attribute_ids.end()) << c.file << " attribute " << au;
      ASSERT_FALSE(it->second.empty()) << c.file << " attribute " << au;
      for (const auto& id : it->second) {
        EXPECT_TRUE(ids.count(id)) << c.file << " " << id;
        EXPECT_TRUE(refs.count(id)) << c.file << " not in the report: " << id;
      }
      ++attributes;
    }
    EXPECT_TRUE(c.stix.problems.empty()) << c.file;
    // Every reference of every object resolves inside the bundle (TLP
    // definitions included).
    for (const auto& [id, o] : ids) {
      for (const auto& ref : stix::ObjectView(*o).references()) {
        EXPECT_TRUE(ids.count(std::string(ref.id))) << c.file << " " << id << ref.pointer;
      }
    }
  }
  EXPECT_EQ(attributes, 795u);  // the corpus PROVENANCE count
}

TEST(MispEvents, TlpTagsAreStandardMarkings) {
  for (const auto& c : convert_corpus()) {
    const auto ids = by_id(c.stix.bundle);
    for (const auto& t : c.event.at("Tag").as_array()) {
      const std::string name(t.at("name").as_string());
      if (name.rfind("tlp:", 0) != 0) continue;
      auto marking = misp::tlp_marking(name);
      ASSERT_TRUE(marking) << name;
      const std::string id(marking->at("id").as_string());
      ASSERT_TRUE(ids.count(id)) << c.file;
      EXPECT_EQ(ids.at(id)->at("definition").at("tlp"), bj::value(name.substr(4)));
      bool marked = false;
      for (const auto& [oid, o] : ids) {
        if (oid.rfind("report--", 0) != 0 && oid.rfind("grouping--", 0) != 0) continue;
        for (const auto& r : o->at("object_marking_refs").as_array()) marked |= r.as_string() == id;
      }
      EXPECT_TRUE(marked) << c.file;
    }
  }
}

TEST(MispEvents, GalaxyClustersAndSightingsBecomeObjects) {
  for (const auto& c : convert_corpus()) {
    std::set<std::string> clusters;
    if (const auto* g = json::get_array(c.event, "Galaxy")) {
      for (const auto& galaxy : *g) {
        for (const auto& cl : galaxy.at("GalaxyCluster").as_array()) {
          clusters.insert(misp::text(cl.as_object(), "type") + "=" + misp::text(cl.as_object(), "value"));
        }
      }
    }
    // MISP sighting types: 0 sighting, 1 false positive, 2 expiration.
    std::size_t sightings = 0, false_positives = 0;
    for (const bj::object* a : all_attributes(c.event)) {
      if (const auto* s = json::get_array(*a, "Sighting")) {
        for (const auto& x : *s) {
          const std::string kind = misp::text(x.as_object(), "type");
          sightings += kind == "0" ? 1 : 0;
          false_positives += kind == "1" ? 1 : 0;
        }
      }
    }
    std::set<std::string> galaxy_objects;
    std::size_t sighting_objects = 0, opinions = 0;
    for (const auto& o : c.stix.bundle.at("objects").as_array()) {
      const bj::object& obj = o.as_object();
      std::string type = misp::text(obj, "type");
      if (type == "sighting") ++sighting_objects;
      if (type == "opinion" && misp::text(obj, "opinion") == "strongly-disagree") ++opinions;
      std::string galaxy_type;
      for (const auto& l : stix::ObjectView(obj).strings("labels")) {
        if (l.rfind("misp:galaxy-type=\"", 0) == 0) galaxy_type = l.substr(18, l.size() - 19);
      }
      if (galaxy_type.empty()) continue;
      std::string value = type == "x-misp-galaxy-cluster" ? misp::text(obj, "x_misp_value")
                                                         : misp::text(obj, "name");
      galaxy_objects.insert(galaxy_type + "=" + value);
    }
    // MITRE cluster names lose their " - G0006" suffix; compare on the name part.
    std::set<std::string> expected;
    for (const auto& k : clusters) {
      expected.insert(k.rfind("mitre-", 0) == 0 ? k.substr(0, k.find(" - ")) : k);
    }
    EXPECT_EQ(galaxy_objects, expected) << c.file;
    EXPECT_EQ(sighting_objects, sightings) << c.file;
    EXPECT_EQ(opinions, false_positives) << c.file;
  }
}

TEST(MispEvents, PatternsAreValidStix) {
  int patterns = 0;
  for (const auto& c : convert_corpus()) {
    for (const auto& o : c.stix.bundle.at("objects").as_array()) {
      if (o.at("type").as_string() != "indicator" || o.at("pattern_type").as_string() != "stix") {
        continue;
      }
      ++patterns;
      const std::string p(o.at("pattern").as_string());
      Status s = stix::check_pattern(p);
      EXPECT_TRUE(s.is_ok()) << c.file << ": " << p << "\n  " << s.to_string();
    }
  }
  EXPECT_GT(patterns, 300);
}

TEST(MispEvents, ConverterIsRegisteredAndReportsEveryAttribute) {
  auto conv = builtin_registry().create("misp", "stix");
  ASSERT_TRUE(conv.is_ok()) << conv.status().to_string();
  auto in = open_file(misp_corpus() + "/events/circl-osint-ransomware-xorist.json");
  ASSERT_TRUE(in.is_ok());
  struct Collect : Output {
    std::vector<bj::object> docs;
    Status write(bj::object&& d) override {
      docs.push_back(std::move(d));
      return Status::ok();
    }
  } out;
  Report report;
  ASSERT_TRUE((*conv)->convert(**in, out, report).is_ok());
  ASSERT_EQ(out.docs.size(), 1u);
  EXPECT_EQ(out.docs[0].at("type"), bj::value("bundle"));
  const bj::value event = load(misp_corpus() + "/events/circl-osint-ransomware-xorist.json");
  EXPECT_EQ(report.read(), event.at("Event").at("Attribute").as_array().size());
  EXPECT_EQ(report.converted(), report.read());
  EXPECT_FALSE(builtin_registry().create("misp", "stix", bj::object{{"bogus", 1}}).is_ok());
  EXPECT_TRUE(builtin_registry().create("stix", "misp").is_ok());
}

}  // namespace
}  // namespace atio::convert
