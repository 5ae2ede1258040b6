// MISP -> STIX -> MISP keeps every attribute: the multiset of (type, value)
// of all attributes, those inside objects included, is the same before and
// after, for every real event and every misp-stix pair input in the corpus.
// The event keeps its uuid, info and tags; attributes keep their uuids.
#include <gtest/gtest.h>

#include "atio/cti/convert/misp_to_stix.h"
#include "atio/cti/convert/misp_types.h"
#include "atio/cti/convert/stix_to_misp.h"
#include "misp_test_util.h"

namespace atio::convert {
namespace {

using testing::load;
using testing::misp_corpus;

using Multiset = std::multiset<std::pair<std::string, std::string>>;

// Datetimes are compared as instants: STIX writes them in UTC ("Z").
std::pair<std::string, std::string> key(const bj::object& a) {
  std::string type = misp::text(a, "type"), value = misp::text(a, "value");
  if (type == "datetime") value = misp::datetime_value(value);
  return {type, value};
}

Multiset attributes_of(const bj::object& event) {
  Multiset out;
  if (const auto* attrs = json::get_array(event, "Attribute")) {
    for (const auto& a : *attrs) out.insert(key(a.as_object()));
  }
  if (const auto* objects = json::get_array(event, "Object")) {
    for (const auto& o : *objects) {
      for (const auto& a : o.at("Attribute").as_array()) out.insert(key(a.as_object()));
    }
  }
  return out;
}

std::string diff(const Multiset& a, const Multiset& b) {
  std::string out;
  Multiset only_a, only_b;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(only_a, only_a.end()));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::inserter(only_b, only_b.end()));
  for (const auto& [t, v] : only_a) out += "  lost " + t + " " + v.substr(0, 120) + "\n";
  for (const auto& [t, v] : only_b) out += "  added " + t + " " + v.substr(0, 120) + "\n";
  return out;
}

bj::object round_trip(const bj::value& misp) {
  auto stix = misp_to_stix(misp);
  EXPECT_TRUE(stix.is_ok()) << stix.status().to_string();
  auto back = stix_to_misp(bj::value(stix->bundle));
  EXPECT_TRUE(back.is_ok()) << back.status().to_string();
  return back->event.at("Event").as_object();
}

std::vector<std::string> tag_names(const bj::object& o) {
  std::vector<std::string> out;
  if (const auto* tags = json::get_array(o, "Tag")) {
    for (const auto& t : *tags) out.emplace_back(t.at("name").as_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(MispRoundTrip, EveryCorpusEventKeepsEveryAttribute) {
  int events = 0;
  std::size_t attributes = 0;
  for (const auto& f : std::filesystem::directory_iterator(misp_corpus() + "/events")) {
    const bj::value doc = load(f.path().string());
    const bj::object& in = doc.as_object().contains("Event") ? doc.at("Event").as_object()
                                                            : doc.as_object();
    const bj::object out = round_trip(doc);
    const Multiset before = attributes_of(in), after = attributes_of(out);
    EXPECT_EQ(before, after) << f.path() << "\n" << diff(before, after);
    EXPECT_EQ(out.at("uuid"), in.at("uuid")) << f.path();
    EXPECT_EQ(out.at("info"), in.at("info")) << f.path();
    EXPECT_EQ(out.at("date"), in.at("date")) << f.path();
    EXPECT_EQ(misp::text(out, "threat_level_id"), misp::text(in, "threat_level_id")) << f.path();
    EXPECT_EQ(misp::text(out, "analysis"), misp::text(in, "analysis")) << f.path();
    EXPECT_EQ(misp::text(out, "id"), misp::text(in, "id")) << f.path();
    EXPECT_EQ(tag_names(out), tag_names(in)) << f.path();
    // Top-level attributes keep their uuids (so an update targets them).
    std::set<std::string> uuids;
    for (const auto& a : out.at("Attribute").as_array()) uuids.insert(misp::text(a.as_object(), "uuid"));
    if (const auto* attrs = json::get_array(in, "Attribute")) {
      for (const auto& a : *attrs) {
        EXPECT_EQ(uuids.count(misp::text(a.as_object(), "uuid")), 1u) << f.path();
      }
    }
    ++events;
    attributes += before.size();
  }
  EXPECT_EQ(events, 9);
  std::cout << events << " events, " << attributes << " attributes round-tripped\n";
}

TEST(MispRoundTrip, EveryPairInputKeepsEveryAttribute) {
  for (const std::string name :
       {"test_events_collection_1.json", "test_events_collection_2.json",
        "test_attributes_collection_1.json", "test_attributes_collection_2.json"}) {
    const bj::value doc = load(misp_corpus() + "/misp-stix-pairs/" + name);
    const bj::value& response = doc.at("response");
    Multiset before;
    if (response.is_array()) {
      for (const auto& e : response.as_array()) {
        // One bundle becomes one event: convert the events one by one.
        const bj::object& in = e.at("Event").as_object();
        const bj::object out = round_trip(bj::object{{"Event", in}});
        EXPECT_EQ(attributes_of(in), attributes_of(out)) << name;
        EXPECT_EQ(out.at("uuid"), in.at("uuid")) << name;
      }
    } else {
      const bj::object out = round_trip(doc);
      Multiset in_set;
      for (const auto& a : response.at("Attribute").as_array()) in_set.insert(key(a.as_object()));
      EXPECT_EQ(in_set, attributes_of(out)) << name << "\n" << diff(in_set, attributes_of(out));
    }
  }
}

}  // namespace
}  // namespace atio::convert
