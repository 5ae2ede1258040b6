// json::JsonText writes, member by member, the text boost::json::serialize
// writes for the same value (the oracle): every JSON document of the corpus
// is walked and written through it.
#include "atio/core/json_text.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/corpus_json.h"

namespace atio::json {
namespace {

namespace bj = boost::json;
namespace fs = std::filesystem;

// Writes `v` through every kind of call the writer has.
void walk(const bj::value& v, JsonText& t) {
  switch (v.kind()) {
    case bj::kind::object:
      t.begin_object();
      for (const auto& kv : v.get_object()) {
        if (kv.value().is_string()) {
          t.member(kv.key(), std::string_view(kv.value().get_string()));
        } else if (kv.value().is_int64()) {
          t.member(kv.key(), kv.value().get_int64());
        } else {
          t.key(kv.key());
          walk(kv.value(), t);
        }
      }
      t.end_object();
      return;
    case bj::kind::array:
      t.begin_array();
      for (const auto& e : v.get_array()) walk(e, t);
      t.end_array();
      return;
    case bj::kind::string: t.string(v.get_string()); return;
    case bj::kind::int64: t.integer(v.get_int64()); return;
    default: t.value(v); return;
  }
}

std::string written(const bj::value& v) {
  std::string out = "prefix:";  // appends, never overwrites
  {
    JsonText t(&out);
    walk(v, t);
  }
  EXPECT_EQ(out.rfind("prefix:", 0), 0u);
  return out.substr(7);
}

TEST(JsonText, EveryCorpusDocumentAsBoostWritesIt) {
  const std::size_t documents =
      testing::for_each_corpus_json([](const fs::path& path, const bj::value& v) {
        ASSERT_EQ(written(v), bj::serialize(v)) << path;
      });
  EXPECT_GT(documents, 900u);
}

TEST(JsonText, EmptyContainersRawTextAndMembersKeepTheCommasRight) {
  std::string out;
  {
    JsonText t(&out);
    t.begin_array();
    t.begin_object();
    t.end_object();
    t.begin_array();
    t.end_array();
    t.raw(R"({"a":1})");
    t.begin_object();
    t.members("");  // nothing: no comma either
    t.members(R"("b":2,"c":[3])");
    t.member("d", "é\n\"");
    t.string_array("e", std::array{std::string_view("x"), std::string_view("y")});
    t.end_object();
    t.integer(-7);
    t.end_array();
  }
  const bj::value expected = bj::parse(
      R"([{},[],{"a":1},{"b":2,"c":[3],"d":"é\n\"","e":["x","y"]},-7])");
  EXPECT_EQ(out, bj::serialize(expected));
}

TEST(JsonText, TextLongerThanItsBlockArrivesWholeAfterFlush) {
  std::string out;
  JsonText t(&out);
  const std::string big(10000, 'z');
  t.begin_array();
  for (int i = 0; i < 3; ++i) t.string(big);
  t.end_array();
  t.flush();
  EXPECT_EQ(out, bj::serialize(bj::array{big, big, big}));
}

}  // namespace
}  // namespace atio::json
