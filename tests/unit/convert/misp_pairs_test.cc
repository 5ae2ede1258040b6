// misp-stix's own test pairs (corpus misp/misp-stix-pairs): atio converts each
// input and must produce every expected STIX object with the same id and
// type, and the same value for every property except the differences
// docs/misp-stix.md lists.
#include <gtest/gtest.h>

#include "atio/cti/convert/misp_to_stix.h"
#include "misp_test_util.h"

namespace atio::convert {
namespace {

using testing::compare;
using testing::join;
using testing::load;
using testing::misp_corpus;

std::string pairs(const std::string& name) { return misp_corpus() + "/misp-stix-pairs/" + name; }

// The "response" lists of several inputs as one input (misp-stix's
// single_output mode).
bj::value merged(const std::vector<std::string>& files) {
  bj::array events, attributes;
  for (const auto& f : files) {
    bj::value v = load(pairs(f));
    bj::value& r = v.as_object()["response"];
    if (r.is_array()) {
      for (auto& e : r.as_array()) events.push_back(e);
    } else {
      for (auto& a : r.as_object()["Attribute"].as_array()) attributes.push_back(a);
    }
  }
  if (!attributes.empty()) {
    return bj::object{{"response", bj::object{{"Attribute", attributes}}}};
  }
  return bj::object{{"response", events}};
}

struct Pair {
  std::vector<std::string> inputs;
  std::string expected;
};

class MispStixPairs : public ::testing::TestWithParam<Pair> {};

TEST_P(MispStixPairs, EveryExpectedObjectIsProduced) {
  const Pair& p = GetParam();
  auto result = misp_to_stix(merged(p.inputs));
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_TRUE(result->problems.empty()) << join(result->problems);
  const bj::value expected = load(pairs(p.expected));
  const bj::array& want = expected.at("objects").as_array();
  const bj::array& got = result->bundle.at("objects").as_array();
  auto c = compare(want, got, p.expected);
  EXPECT_TRUE(c.missing.empty()) << join(c.missing);
  EXPECT_TRUE(c.undocumented.empty()) << join(c.undocumented);
  EXPECT_EQ(c.found, c.objects);
  // Object for object: nothing more than misp-stix either.
  EXPECT_EQ(got.size(), want.size());
  std::cout << p.expected << ": " << c.identical << "/" << c.objects
            << " identical, differences all documented: " << c.documented.size() << "\n";
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, MispStixPairs,
    ::testing::Values(
        Pair{{"test_events_collection_1.json"}, "test_event1_stix21.json"},
        Pair{{"test_events_collection_2.json"}, "test_event2_stix21.json"},
        Pair{{"test_events_collection_1.json", "test_events_collection_2.json"},
             "test_events_collection_stix21.json"},
        Pair{{"test_attributes_collection_1.json", "test_attributes_collection_2.json"},
             "test_attributes_collection_stix21.json"}));

// Every file of the pairs folder is either an input or an expected output
// used above, so a pair added to the corpus is not silently left out.
TEST(MispStixPairs, EveryCorpusFileIsUsed) {
  const std::set<std::string> used = {
      "test_events_collection_1.json", "test_events_collection_2.json",
      "test_attributes_collection_1.json", "test_attributes_collection_2.json",
      "test_event1_stix21.json", "test_event2_stix21.json",
      "test_events_collection_stix21.json", "test_attributes_collection_stix21.json"};
  for (const auto& e : std::filesystem::directory_iterator(misp_corpus() + "/misp-stix-pairs")) {
    EXPECT_EQ(used.count(e.path().filename().string()), 1u) << e.path();
  }
}

TEST(MispStixPairs, EventsBecomeGroupingsWithTheirInfoAndCreator) {
  auto result = misp_to_stix(load(pairs("test_events_collection_1.json")));
  ASSERT_TRUE(result.is_ok());
  const bj::value input = load(pairs("test_events_collection_1.json"));
  for (const auto& ev : input.at("response").as_array()) {
    const bj::object& e = ev.at("Event").as_object();
    const std::string id = "grouping--" + std::string(e.at("uuid").as_string());
    const bj::object* g = nullptr;
    for (const auto& o : result->bundle.at("objects").as_array()) {
      if (o.at("id").as_string() == id) g = &o.as_object();
    }
    ASSERT_NE(g, nullptr) << id;
    EXPECT_EQ(g->at("name"), e.at("info"));
    EXPECT_EQ(g->at("created_by_ref").as_string(),
              "identity--" + std::string(e.at("Orgc").at("uuid").as_string()));
    // Every attribute is referenced by its event.
    for (const auto& a : e.at("Attribute").as_array()) {
      const std::string od = "observed-data--" + std::string(a.at("uuid").as_string());
      bool referenced = false;
      for (const auto& r : g->at("object_refs").as_array()) referenced |= r.as_string() == od;
      EXPECT_TRUE(referenced) << od;
    }
  }
}

}  // namespace
}  // namespace atio::convert
