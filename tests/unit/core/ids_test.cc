#include "atio/core/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace atio {
namespace {

TEST(Ids, UuidV4IsCanonicalAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u = uuid_v4();
    ASSERT_TRUE(is_uuid(u)) << u;
    EXPECT_EQ(u[14], '4');
    EXPECT_TRUE(seen.insert(u).second);
  }
  EXPECT_FALSE(is_uuid("not-a-uuid"));
}

TEST(Ids, TimestampRoundTrip) {
  std::chrono::system_clock::time_point t;
  ASSERT_TRUE(parse_timestamp("2023-11-20T15:56:00.123456Z", &t));
  EXPECT_EQ(format_timestamp(t), "2023-11-20T15:56:00.123Z");
  ASSERT_TRUE(parse_timestamp("2023-11-20T17:56:00+02:00", &t));
  EXPECT_EQ(format_timestamp(t), "2023-11-20T15:56:00.000Z");
  EXPECT_FALSE(parse_timestamp("2023-11-20 15:56:00Z", &t));
  EXPECT_FALSE(parse_timestamp("2023-13-20T15:56:00Z", &t));
}

}  // namespace
}  // namespace atio
