// The building blocks: CIDR parsing and containment, LIKE, literal codecs.
#include <gtest/gtest.h>

#include "atio/cti/stix/pattern_ip.h"
#include "atio/cti/stix/pattern_text.h"

namespace atio::stix::pattern {
namespace {

TEST(PatternIp, ParsesAddressesAndNetworks) {
  auto a = parse_ip_network("192.168.1.7");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->family, 4);
  EXPECT_EQ(a->prefix, 32);
  EXPECT_EQ(a->to_string(), "192.168.1.7/32");
  auto b = parse_ip_network("2001:DB8::/32");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->family, 6);
  EXPECT_EQ(b->to_string(), "2001:db8::/32");
  for (const char* bad : {"", "10.0.0", "10.0.0.256", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/a",
                          "::1/129", "fe80::1%eth0", "10.0.0.0/8/8", "host.example"}) {
    EXPECT_FALSE(parse_ip_network(bad)) << bad;
  }
}

TEST(PatternIp, Containment) {
  auto net = *parse_ip_network("10.0.0.0/8");
  EXPECT_TRUE(ip_contains(net, *parse_ip_network("10.255.255.255")));
  EXPECT_TRUE(ip_contains(net, *parse_ip_network("10.1.0.0/16")));
  EXPECT_TRUE(ip_contains(net, net));
  EXPECT_FALSE(ip_contains(net, *parse_ip_network("11.0.0.0")));
  EXPECT_FALSE(ip_contains(net, *parse_ip_network("0.0.0.0/0")));
  EXPECT_FALSE(ip_contains(net, *parse_ip_network("::ffff:10.0.0.1")));  // other family
  EXPECT_TRUE(ip_contains(*parse_ip_network("10.0.0.0/13"), *parse_ip_network("10.7.1.1")));
  EXPECT_FALSE(ip_contains(*parse_ip_network("10.0.0.0/13"), *parse_ip_network("10.8.0.0")));
  EXPECT_TRUE(ip_contains(*parse_ip_network("::/0"), *parse_ip_network("2001:db8::1")));
}

TEST(PatternText, Like) {
  EXPECT_TRUE(like_match("", ""));
  EXPECT_TRUE(like_match("", "%"));
  EXPECT_FALSE(like_match("", "_"));
  EXPECT_TRUE(like_match("abc", "a%c"));
  EXPECT_TRUE(like_match("abc", "%%%"));
  EXPECT_TRUE(like_match("a%c", "a%c"));
  EXPECT_TRUE(like_match("aXbXc", "%b%c"));
  EXPECT_FALSE(like_match("abcd", "a%c"));
  EXPECT_TRUE(like_match("mississippi", "%iss%ppi"));
  EXPECT_TRUE(like_match("é", "_"));  // one character, two bytes
  EXPECT_FALSE(like_match("é", "__"));
  // Many % stay fast (no exponential backtracking).
  EXPECT_FALSE(like_match(std::string(5000, 'a'), "%a%a%a%a%a%a%a%a%b"));
}

TEST(PatternText, Codecs) {
  EXPECT_EQ(hex_decode("00fFa1"), std::string("\x00\xff\xa1", 3));
  EXPECT_FALSE(hex_decode("abc"));
  EXPECT_FALSE(hex_decode("zz"));
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("TWFu"), "Man");
  EXPECT_EQ(base64_decode("TWE="), "Ma");
  EXPECT_EQ(base64_decode("TQ=="), "M");
  EXPECT_FALSE(base64_decode("TQ="));
  EXPECT_FALSE(base64_decode("T=Q="));
  EXPECT_FALSE(base64_decode("TQ==TWFu"));
  EXPECT_EQ(quote("it's \\"), "'it\\'s \\\\'");
}

}  // namespace
}  // namespace atio::stix::pattern
