#include "atio/core/json.h"

#include <gtest/gtest.h>

namespace atio::json {
namespace {

TEST(Json, ParseErrorNamesLineAndColumn) {
  auto r = parse("{\n  \"a\": 1,\n  \"b\": }");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("line 3"), std::string::npos) << r.status().message();
}

TEST(Json, DepthLimit) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  ParseLimits limits;
  limits.max_depth = 10;
  auto r = parse(deep, limits);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("deeper than the limit of 10"), std::string::npos);
  limits.max_depth = 200;
  EXPECT_TRUE(parse(deep, limits).is_ok());
}

TEST(Json, SizeLimit) {
  ParseLimits limits;
  limits.max_bytes = 4;
  auto r = parse("[1,2,3]", limits);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kPayloadTooLarge);
}

TEST(Json, PointerEscaping) {
  EXPECT_EQ(pointer_join("/workflow", "a/b~c"), "/workflow/a~1b~0c");
  EXPECT_EQ(pointer_join("", std::size_t{3}), "/3");
}

TEST(Json, LargeIntegersStayExact) {
  auto r = parse("{\"flow_id\": 2251799813685249123}");
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(dump(*r), "{\"flow_id\":2251799813685249123}");
}

}  // namespace
}  // namespace atio::json
