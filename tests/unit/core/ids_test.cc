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

// Every byte value at every position of a UUID, against a plain reading of
// RFC 4122's text form (8-4-4-4-12 hexadecimal digits, either case).
TEST(Ids, UuidShapeByteByByte) {
  auto reference = [](const std::string& s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < 36; ++i) {
      const bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
      const char c = s[i];
      const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (dash_here ? c != '-' : !hex) return false;
    }
    return true;
  };
  const std::string base = "0123abcd-ABCD-4ef0-8a9b-0123456789fF";
  ASSERT_TRUE(is_uuid(base));
  for (std::size_t pos = 0; pos < base.size(); ++pos) {
    for (int b = 0; b < 256; ++b) {
      std::string s = base;
      s[pos] = static_cast<char>(b);
      ASSERT_EQ(is_uuid(s), reference(s)) << "position " << pos << " byte " << b;
    }
  }
  EXPECT_FALSE(is_uuid(base.substr(1)));
  EXPECT_FALSE(is_uuid(base + "0"));
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

// The clock holds about 1678 to 2262: a time beyond is refused, not wrapped
// around into another century.
TEST(Ids, TimestampsBeyondTheClockAreRefused) {
  std::chrono::system_clock::time_point t;
  ASSERT_TRUE(parse_timestamp("2262-01-01T00:00:00Z", &t));
  EXPECT_EQ(format_timestamp(t), "2262-01-01T00:00:00.000Z");
  ASSERT_TRUE(parse_timestamp("1700-01-01T00:00:00Z", &t));
  EXPECT_EQ(format_timestamp(t), "1700-01-01T00:00:00.000Z");
  EXPECT_FALSE(parse_timestamp("2300-01-01T00:00:00Z", &t));
  EXPECT_FALSE(parse_timestamp("9999-12-31T23:59:59Z", &t));
  EXPECT_FALSE(parse_timestamp("1600-01-01T00:00:00Z", &t));
}

}  // namespace
}  // namespace atio
