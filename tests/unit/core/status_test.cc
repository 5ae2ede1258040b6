#include "atio/core/status.h"

#include <gtest/gtest.h>

namespace atio {
namespace {

TEST(Status, OkHasNoMessage) {
  Status s;
  EXPECT_TRUE(s.is_ok());
  EXPECT_EQ(s.code(), Code::kOk);
  EXPECT_EQ(s.to_string(), "ok");
}

TEST(Status, ContextIsPrefixedNotReplaced) {
  Status s = Status(Code::kInvalidArgument, "must be a string").with_context("/name");
  s = std::move(s).with_context("playbook.json");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.to_string(), "playbook.json: /name: must be a string");
}

Result<int> half(int x) {
  if (x % 2) return Status(Code::kInvalidArgument, "odd");
  return x / 2;
}

Result<int> quarter(int x) {
  ATIO_ASSIGN_OR_RETURN(int h, half(x));
  ATIO_ASSIGN_OR_RETURN(int q, half(h));
  return q;
}

TEST(Result, PropagatesFirstError) {
  EXPECT_EQ(*quarter(8), 2);
  auto r = quarter(6);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().message(), "odd");
}

}  // namespace
}  // namespace atio
