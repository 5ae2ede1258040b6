// Every bundle the MISP converter makes of the corpus (the 9 real events and
// misp-stix's pair inputs) validates against the OASIS STIX 2.1 JSON schemas,
// checked by the Python jsonschema oracle in tests/tools.
#include <gtest/gtest.h>

#include "atio/cti/convert/misp_to_stix.h"
#include "convert_test_support.h"

namespace atio::convert {
namespace {

using testing::corpus;
using testing::run_oracle;

TEST(MispToStix, EveryCorpusBundleMatchesTheOasisSchemas) {
  std::vector<std::string> names;
  std::vector<bj::object> bundles;
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(corpus("misp/events"))) {
    files.push_back(e.path().string());
  }
  for (const char* f : {"test_events_collection_1.json", "test_events_collection_2.json",
                        "test_attributes_collection_1.json", "test_attributes_collection_2.json"}) {
    files.push_back(corpus("misp/misp-stix-pairs/") + f);
  }
  for (const auto& f : files) {
    auto doc = json::parse_file(f, json::ParseLimits{64u << 20, 128});
    ASSERT_TRUE(doc.is_ok()) << f;
    auto r = misp_to_stix(*doc);
    ASSERT_TRUE(r.is_ok()) << f;
    // The oracle has no route for marking-definition (its schema is under
    // common/) and checks it against core.json, which requires `modified`;
    // atio writes the TLP definitions verbatim from STIX 2.1 section
    // 7.2.1.4, which have none. They are checked in misp_events_test.cc.
    bj::array kept;
    for (auto& o : r->bundle.at("objects").as_array()) {
      if (o.at("type").as_string() != "marking-definition") kept.push_back(o);
    }
    r->bundle["objects"] = std::move(kept);
    names.push_back(f);
    bundles.push_back(std::move(r->bundle));
  }
  std::string why;
  const auto verdicts = run_oracle(
      "stix_schema_oracle.py", "--schemas '" + corpus("stix21-schemas/schemas") + "'", bundles, &why);
  ASSERT_TRUE(why.empty()) << why;
  for (std::size_t i = 0; i < bundles.size(); ++i) {
    EXPECT_EQ(verdicts[i], "valid") << names[i];
  }
}

}  // namespace
}  // namespace atio::convert
