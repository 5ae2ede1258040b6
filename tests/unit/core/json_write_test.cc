// json::dump_append writes what boost::json::serialize writes (the oracle),
// byte for byte, on every JSON document of the corpus and on strings made to
// hit each escape at each position of the eight-byte blocks.
#include "atio/core/json_write.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "atio/core/json.h"
#include "support/corpus_json.h"

namespace atio::json {
namespace {

namespace fs = std::filesystem;

std::string mine(const bj::value& v) {
  std::string out = "prefix:";  // appends, never overwrites
  dump_append(v, &out);
  EXPECT_EQ(out.rfind("prefix:", 0), 0u);
  return out.substr(7);
}

TEST(JsonWrite, EveryCorpusDocumentAsBoostWritesIt) {
  const std::size_t documents =
      testing::for_each_corpus_json([](const fs::path& path, const bj::value& v) {
        ASSERT_EQ(mine(v), bj::serialize(v)) << path;
      });
  EXPECT_GT(documents, 900u);  // 948 parse in today's corpus
}

TEST(JsonWrite, EscapesAtEveryPositionOfABlock) {
  const std::string specials = std::string("\"\\\b\f\n\r\t\x01\x1f\x7f", 10) + "\xc3\xa9/";
  for (char special : specials) {
    for (std::size_t pos = 0; pos < 20; ++pos) {
      std::string s(20, 'a');
      s[pos] = special;
      const bj::value v = bj::string(s);
      ASSERT_EQ(mine(v), bj::serialize(v)) << "position " << pos << " byte " << int(special);
    }
  }
}

TEST(JsonWrite, NumbersLongStringsAndNesting) {
  bj::object o;
  o["int"] = -9223372036854775807LL - 1;
  o["uint"] = 18446744073709551615ULL;
  o["double"] = 0.1;
  o["exp"] = 1e300;
  o["neg"] = -2.5;
  o["long"] = std::string(100000, 'x') + "\"" + std::string(5000, '\n');
  o["nested"] = bj::array{bj::object{{"a", nullptr}, {"b", true}}, bj::array{}, bj::object{}, false};
  const bj::value v = o;
  EXPECT_EQ(mine(v), bj::serialize(v));
  EXPECT_EQ(dump(v), bj::serialize(v));
}

}  // namespace
}  // namespace atio::json
