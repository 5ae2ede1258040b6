// misp-stix's mapping documentation (corpus misp/misp-stix-mapping-docs): for
// each documented attribute type and object template, convert the MISP
// example and compare with the documented STIX. Every documented object must
// be produced with the same id and type; every property that differs must be
// listed in docs/misp-stix.md. Templates atio keeps as x-misp-object must keep
// every attribute.
#include <gtest/gtest.h>

#include "atio/cti/convert/misp_to_stix.h"
#include "atio/cti/stix/pattern_validate.h"
#include "misp_test_util.h"

namespace atio::convert {
namespace {

using testing::compare;
using testing::join;
using testing::load;
using testing::misp_corpus;

// The documented examples were made for an event of this organisation.
bj::object event_of(const bj::object& example, const char* key) {
  bj::object e;
  e["uuid"] = "a6ef1d1b-4da8-4a93-9b1c-4f6b7c8a9d0e";
  e["info"] = "mapping example";
  e["timestamp"] = "1603642920";
  e["Orgc"] = bj::object{{"uuid", "a0c22599-9e58-4da4-96ac-7051603fa951"},
                         {"name", "MISP-Project"}};
  e[key] = bj::array{example};
  return e;
}

bj::array expected_objects(const bj::value& stix) {
  if (stix.is_array()) return stix.as_array();
  return bj::array{stix};
}

bool has_type(const bj::array& objects, std::string_view type) {
  for (const auto& o : objects) {
    if (o.at("type").as_string() == type) return true;
  }
  return false;
}

// What atio maps as misp-stix does; other templates are kept whole.
const std::set<std::string> kMappedObjects = {"file",      "ip-port", "network-connection",
                                              "domain-ip", "url",     "vulnerability"};

TEST(MispMappingDocs, AttributeTypesMapLikeMispStix) {
  const bj::value docs = load(misp_corpus() + "/misp-stix-mapping-docs/misp_attributes_to_stix21.json");
  int types = 0, objects = 0, found = 0, identical = 0, documented = 0;
  for (const auto& kv : docs.as_object()) {
    ++types;
    bj::object example = kv.value().at("MISP").as_object();
    const bj::array want = expected_objects(kv.value().at("STIX"));
    // The examples carry no to_ids; the documented STIX shows the to_ids form.
    if (has_type(want, "indicator") && !example.contains("to_ids")) example["to_ids"] = true;
    auto result = misp_to_stix(bj::object{{"Event", event_of(example, "Attribute")}});
    ASSERT_TRUE(result.is_ok()) << kv.key();
    const auto& got = result->bundle.at("objects").as_array();
    for (const auto& o : got) {  // atio's patterns are valid STIX, whatever misp-stix wrote
      if (o.at("type").as_string() == "indicator" && o.at("pattern_type").as_string() == "stix") {
        Status s = stix::check_pattern(o.at("pattern").as_string());
        EXPECT_TRUE(s.is_ok()) << kv.key() << ": " << o.at("pattern").as_string() << "\n  "
                               << s.to_string();
      }
    }
    auto c = compare(want, got, std::string(kv.key()), std::string(kv.key()));
    EXPECT_TRUE(c.missing.empty()) << join(c.missing);
    EXPECT_TRUE(c.undocumented.empty()) << join(c.undocumented);
    objects += c.objects;
    found += c.found;
    identical += c.identical;
    documented += static_cast<int>(c.documented.size());
  }
  EXPECT_EQ(types, 80);
  std::cout << "attribute types: " << types << ", documented objects " << objects
            << ", produced with the same id and type " << found << ", identical " << identical
            << ", documented property differences " << documented << "\n";
}

TEST(MispMappingDocs, MappedObjectTemplatesMapLikeMispStix) {
  const bj::value docs = load(misp_corpus() + "/misp-stix-mapping-docs/misp_objects_to_stix21.json");
  int templates = 0, objects = 0, identical = 0, documented = 0;
  for (const auto& kv : docs.as_object()) {
    // Lists (a file with its pe objects, ...) are templates atio keeps whole.
    if (!kv.value().at("MISP").is_object()) continue;
    const bj::object& example = kv.value().at("MISP").as_object();
    const std::string name(example.at("name").as_string());
    if (kMappedObjects.count(name) == 0) continue;
    ++templates;
    const bj::array want = expected_objects(kv.value().at("STIX"));
    auto result = misp_to_stix(bj::object{{"Event", event_of(example, "Object")}});
    ASSERT_TRUE(result.is_ok()) << kv.key();
    auto c = compare(want, result->bundle.at("objects").as_array(), std::string(kv.key()),
                     std::string(kv.key()));
    EXPECT_TRUE(c.missing.empty()) << join(c.missing);
    EXPECT_TRUE(c.undocumented.empty()) << join(c.undocumented);
    objects += c.objects;
    identical += c.identical;
    documented += static_cast<int>(c.documented.size());
  }
  EXPECT_GE(templates, 6);
  std::cout << "mapped templates: " << templates << " examples, documented objects " << objects
            << ", identical " << identical << ", documented property differences " << documented
            << "\n";
}

TEST(MispMappingDocs, OtherTemplatesAreKeptWhole) {
  const bj::value docs = load(misp_corpus() + "/misp-stix-mapping-docs/misp_objects_to_stix21.json");
  int kept = 0;
  for (const auto& kv : docs.as_object()) {
    const bj::value& misp = kv.value().at("MISP");
    // Some examples are several objects (pe & pe-sections).
    const bj::array examples = misp.is_array() ? misp.as_array() : bj::array{misp};
    for (const auto& ev : examples) {
      const bj::object& example = ev.as_object();
      const std::string name(example.at("name").as_string());
      if (kMappedObjects.count(name) > 0) continue;
      auto result = misp_to_stix(bj::object{{"Event", event_of(example, "Object")}});
      ASSERT_TRUE(result.is_ok()) << kv.key();
      const std::string id = "x-misp-object--" + std::string(example.at("uuid").as_string());
      const bj::object* custom = nullptr;
      for (const auto& o : result->bundle.at("objects").as_array()) {
        if (o.at("id").as_string() == id) custom = &o.as_object();
      }
      ASSERT_NE(custom, nullptr) << kv.key();
      EXPECT_EQ(custom->at("x_misp_name").as_string(), name);
      const auto& in = example.at("Attribute").as_array();
      const auto& out = custom->at("x_misp_attributes").as_array();
      ASSERT_EQ(in.size(), out.size()) << kv.key();
      for (std::size_t i = 0; i < in.size(); ++i) {
        EXPECT_EQ(in[i].at("type"), out[i].at("type")) << kv.key();
        EXPECT_EQ(in[i].at("value"), out[i].at("value")) << kv.key();
        EXPECT_EQ(in[i].at("object_relation"), out[i].at("object_relation")) << kv.key();
      }
      ++kept;
    }
  }
  EXPECT_GT(kept, 40);
  std::cout << "templates kept as x-misp-object: " << kept << "\n";
}

}  // namespace
}  // namespace atio::convert
