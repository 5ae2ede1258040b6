#include "atio/core/typed_value.h"

#include <gtest/gtest.h>

#include "atio/core/json.h"

namespace atio {
namespace {

namespace bj = boost::json;

TEST(TypedValue, DocumentStringsBecomeTypedValues) {
  EXPECT_EQ(*typed_json_value("integer", bj::value("-42")), bj::value(-42));
  EXPECT_EQ(*typed_json_value("long", bj::value("9223372036854775807")),
            bj::value(INT64_MAX));
  EXPECT_EQ(*typed_json_value("long", bj::value(7.0)), bj::value(7));
  EXPECT_EQ(*typed_json_value("float", bj::value("1.5")), bj::value(1.5));
  EXPECT_EQ(*typed_json_value("bool", bj::value("TRUE")), bj::value(true));
  EXPECT_EQ(*typed_json_value("dictionary", bj::value("{\"a\":1}")), *json::parse("{\"a\":1}"));
  EXPECT_EQ(*typed_json_value("ipv4-addr", bj::value("10.0.0.1")), bj::value("10.0.0.1"));
}

TEST(TypedValue, EmptyMeansNoValueForTypedKindsOnly) {
  EXPECT_TRUE(typed_json_value("integer", bj::value(""))->is_null());
  EXPECT_TRUE(typed_json_value("dictionary", bj::value(""))->is_null());
  EXPECT_EQ(*typed_json_value("string", bj::value("")), bj::value(""));
}

TEST(TypedValue, MisfitsNameTheRule) {
  EXPECT_EQ(typed_json_value("integer", bj::value("12abc")).status().message(),
            "must be a whole number (a 64-bit integer)");
  EXPECT_EQ(typed_json_value("long", bj::value(1.5)).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(typed_json_value("float", bj::value("x")).status().message(), "must be a number");
  EXPECT_EQ(typed_json_value("bool", bj::value("yes")).status().message(), "must be true or false");
  EXPECT_FALSE(typed_json_value("dictionary", bj::value("[1,")).is_ok());
}

}  // namespace
}  // namespace atio
