#include "atio/cti/convert/json_records.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace atio::convert {
namespace {

// Hands out its bytes a few at a time, so records straddle every read.
class TrickleInput : public Input {
 public:
  TrickleInput(std::string data, std::size_t step) : Input("trickle"), data_(std::move(data)), step_(step) {}
  Result<std::size_t> read(char* buf, std::size_t n) override {
    const std::size_t k = std::min({n, step_, data_.size() - pos_});
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  std::size_t step_;
  std::size_t pos_ = 0;
};

struct Rec {
  std::string text;
  std::size_t line;
  std::size_t index;
};

Result<std::vector<Rec>> split(const std::string& data, std::size_t step = 3) {
  TrickleInput in(data, step);
  JsonRecords records(in);
  std::vector<Rec> out;
  std::string_view text;
  Location at;
  for (;;) {
    auto more = records.next(&text, &at);
    if (!more.is_ok()) return more.status();
    if (!*more) return out;
    out.push_back({std::string(text), at.line, at.index});
  }
}

TEST(JsonRecords, NdjsonLinesWithABrokenLineInTheMiddle) {
  auto r = split("{\"a\":1}\n{\"b\":\"cut\n\n{\"c\":[1,2]}\n");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].text, "{\"a\":1}");
  EXPECT_EQ((*r)[1].text, "{\"b\":\"cut");
  EXPECT_EQ((*r)[1].line, 2u);
  EXPECT_EQ((*r)[2].text, "{\"c\":[1,2]}");
  EXPECT_EQ((*r)[2].line, 4u);
  EXPECT_EQ((*r)[2].index, 2u);
}

TEST(JsonRecords, ArrayElementsStreamedWithTheirLines) {
  auto r = split("[\n  {\"a\": \"]\\\"}\"},\n  {\"b\": {\"c\": [1]}}\n  , 7, \"s\"\n]\n");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].text, "{\"a\": \"]\\\"}\"}");
  EXPECT_EQ((*r)[0].line, 2u);
  EXPECT_EQ((*r)[1].text, "{\"b\": {\"c\": [1]}}");
  EXPECT_EQ((*r)[1].line, 3u);
  EXPECT_EQ((*r)[2].text, "7");
  EXPECT_EQ((*r)[3].text, "\"s\"");
}

TEST(JsonRecords, PrettyPrintedValuesOneAfterAnother) {
  auto r = split("{\n \"a\": 1\n}\n{\n \"b\": 2\n}\n", 1);
  ASSERT_TRUE(r.is_ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].text, "{\n \"b\": 2\n}");
  EXPECT_EQ((*r)[1].line, 4u);
}

TEST(JsonRecords, AnArrayCutOffIsAnErrorNamingTheLine) {
  auto r = split("[{\"a\":1},\n{\"b\":2}\n");
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("line 3"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("closing ']'"), std::string::npos);
}

TEST(JsonRecords, EmptyInputHasNoRecords) {
  auto r = split("  \n\n");
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(r->empty());
  auto a = split("[]");
  ASSERT_TRUE(a.is_ok());
  EXPECT_TRUE(a->empty());
}

}  // namespace
}  // namespace atio::convert
