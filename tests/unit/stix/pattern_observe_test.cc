// Observation expressions over sequences of observations: AND, OR,
// FOLLOWEDBY and the qualifiers, on the examples of STIX 2.1 part 9 and the
// timing cases of the OASIS reference matcher's tests.
#include <gtest/gtest.h>

#include <string>

#include "atio/cti/stix/pattern_match.h"

namespace atio::stix::pattern {
namespace {

Observation obs(const char* first, const char* last, std::int64_t count, bj::object sco) {
  Observation o;
  EXPECT_TRUE(parse_time(first, &o.first_observed));
  EXPECT_TRUE(parse_time(last, &o.last_observed));
  o.number_observed = count;
  o.objects["0"] = std::move(sco);
  return o;
}

bj::object file_md5(const char* md5) {
  return bj::object{{"type", "file"}, {"hashes", bj::object{{"MD5", md5}}}};
}
bj::object reg_key(const char* key) { return bj::object{{"type", "windows-registry-key"}, {"key", key}}; }

Result<bool> run(std::string_view text, const std::vector<Observation>& observations,
                 MatchOptions options = {}) {
  Result<Pattern> p = parse(text);
  EXPECT_TRUE(p.is_ok()) << text << ": " << p.status().to_string();
  if (!p) return p.status();
  return matches(*p, observations, options);
}

bool m(std::string_view text, const std::vector<Observation>& observations) {
  Result<bool> r = run(text, observations);
  EXPECT_TRUE(r.is_ok()) << text << ": " << r.status().to_string();
  return r && *r;
}

const char* const kHash = "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']";
const char* const kKey = "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']";

TEST(PatternObserve, FollowedByWithin) {
  // The spec's example: the file, then the registry key, within 300 seconds.
  const std::string pattern = std::string("(") + kHash + " FOLLOWEDBY " + kKey + ") WITHIN 300 SECONDS";
  Observation file = obs("2016-06-01T10:00:00Z", "2016-06-01T10:00:00Z", 1,
                         file_md5("79054025255fb1a26e4bc422aef54eb4"));
  Observation key_soon = obs("2016-06-01T10:04:00Z", "2016-06-01T10:04:00Z", 1,
                             reg_key("HKEY_LOCAL_MACHINE\\foo\\bar"));
  Observation key_late = obs("2016-06-01T10:06:00Z", "2016-06-01T10:06:00Z", 1,
                             reg_key("HKEY_LOCAL_MACHINE\\foo\\bar"));
  Observation key_before = obs("2016-06-01T09:59:00Z", "2016-06-01T09:59:00Z", 1,
                               reg_key("HKEY_LOCAL_MACHINE\\foo\\bar"));
  EXPECT_TRUE(m(pattern, {file, key_soon}));
  EXPECT_TRUE(m(pattern, {key_soon, file}));  // order in the list does not matter
  EXPECT_FALSE(m(pattern, {file, key_late}));   // 360 s apart
  EXPECT_FALSE(m(pattern, {file, key_before}));  // the key came first
  EXPECT_TRUE(m(std::string(kKey) + " FOLLOWEDBY " + kHash, {file, key_before}));
  EXPECT_FALSE(m(pattern, {file}));
  // Same instant counts as "followed by".
  Observation key_same = obs("2016-06-01T10:00:00Z", "2016-06-01T10:00:00Z", 1,
                             reg_key("HKEY_LOCAL_MACHINE\\foo\\bar"));
  EXPECT_TRUE(m(pattern, {file, key_same}));
}

TEST(PatternObserve, AndOrNeedDistinctObservations) {
  const std::string both = std::string(kHash) + " AND " + kHash;
  Observation once = obs("2016-06-01T10:00:00Z", "2016-06-01T10:00:00Z", 1,
                         file_md5("79054025255fb1a26e4bc422aef54eb4"));
  Observation twice = once;
  twice.number_observed = 2;
  EXPECT_FALSE(m(both, {once}));
  EXPECT_TRUE(m(both, {once, once}));
  EXPECT_TRUE(m(both, {twice}));  // number_observed 2 is two observations
  EXPECT_TRUE(m(std::string(kHash) + " OR " + kKey, {once}));
  EXPECT_FALSE(m(std::string(kHash) + " AND " + kKey, {once}));
  // One observation holding both SCOs still serves only one side of AND.
  Observation mixed = once;
  mixed.objects["1"] = reg_key("HKEY_LOCAL_MACHINE\\foo\\bar");
  EXPECT_FALSE(m(std::string(kHash) + " AND " + kKey, {mixed}));
  EXPECT_TRUE(m(std::string(kHash) + " AND " + kKey, {mixed, mixed}));
}

TEST(PatternObserve, RepeatsCountsObservations) {
  const std::string five = std::string(kHash) + " REPEATS 5 TIMES";
  Observation o = obs("2016-06-01T10:00:00Z", "2016-06-01T10:00:00Z", 4,
                      file_md5("79054025255fb1a26e4bc422aef54eb4"));
  EXPECT_FALSE(m(five, {o}));
  Observation one_more = o;
  one_more.number_observed = 1;
  EXPECT_TRUE(m(five, {o, one_more}));
  o.number_observed = 1000000;  // large counts stay cheap
  EXPECT_TRUE(m(five, {o}));
  EXPECT_TRUE(m(std::string(kHash) + " REPEATS 1000 TIMES", {o}));
}

TEST(PatternObserve, RepeatsWithinFromTheSpec) {
  // [network-traffic:dst_ref.type = 'domain-name' AND dst_ref.value = 'example.com']
  // REPEATS 5 TIMES WITHIN 1800 SECONDS
  const char* pattern =
      "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = "
      "'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS";
  auto traffic = [](const char* at) {
    Observation o;
    EXPECT_TRUE(parse_time(at, &o.first_observed));
    o.last_observed = o.first_observed;
    o.objects["0"] = bj::object{{"type", "network-traffic"}, {"dst_ref", "1"}};
    o.objects["1"] = bj::object{{"type", "domain-name"}, {"value", "example.com"}};
    return o;
  };
  std::vector<Observation> spread = {traffic("2016-06-01T10:00:00Z"), traffic("2016-06-01T10:10:00Z"),
                                     traffic("2016-06-01T10:20:00Z"), traffic("2016-06-01T10:29:00Z"),
                                     traffic("2016-06-01T10:31:00Z")};
  EXPECT_FALSE(m(pattern, spread));  // the 5 span 31 minutes
  spread.push_back(traffic("2016-06-01T10:05:00Z"));
  EXPECT_TRUE(m(pattern, spread));  // 10:05 .. 10:31 is 26 minutes
}

TEST(PatternObserve, WithinUsesTheObservedIntervals) {
  // Intervals [10:00, 10:10] and [10:30, 10:40]: the closest instants are
  // 20 minutes apart (the reference matcher's rule).
  Observation a = obs("2016-06-01T10:00:00Z", "2016-06-01T10:10:00Z", 1,
                      file_md5("79054025255fb1a26e4bc422aef54eb4"));
  Observation b = obs("2016-06-01T10:30:00Z", "2016-06-01T10:40:00Z", 1,
                      reg_key("HKEY_LOCAL_MACHINE\\foo\\bar"));
  const std::string both = std::string("(") + kHash + " AND " + kKey + ")";
  EXPECT_TRUE(m(both + " WITHIN 1200 SECONDS", {a, b}));
  EXPECT_FALSE(m(both + " WITHIN 1199.5 SECONDS", {a, b}));
}

TEST(PatternObserve, StartStopExcludesTheStop) {
  Observation o = obs("2016-06-01T10:00:00Z", "2016-06-01T10:00:00Z", 1,
                      file_md5("79054025255fb1a26e4bc422aef54eb4"));
  auto window = [](const char* start, const char* stop) {
    return std::string(kHash) + " START t'" + start + "' STOP t'" + stop + "'";
  };
  EXPECT_TRUE(m(window("2016-06-01T09:00:00Z", "2016-06-01T11:00:00Z"), {o}));
  EXPECT_TRUE(m(window("2016-06-01T10:00:00Z", "2016-06-01T11:00:00Z"), {o}));
  EXPECT_FALSE(m(window("2016-06-01T09:00:00Z", "2016-06-01T10:00:00Z"), {o}));
  EXPECT_FALSE(m(window("2016-06-01T10:00:01Z", "2016-06-01T11:00:00Z"), {o}));
  EXPECT_FALSE(m(window("2016-06-01T11:00:00Z", "2016-06-01T09:00:00Z"), {o}));
}

TEST(PatternObserve, ObservedDataWithObjectRefs) {
  // STIX 2.1 observed-data lists SCO ids; the SCOs come from the bundle.
  bj::object pool{
      {"network-traffic--1", bj::object{{"type", "network-traffic"}, {"id", "network-traffic--1"},
                                        {"src_ref", "ipv4-addr--1"}}},
      {"ipv4-addr--1", bj::object{{"type", "ipv4-addr"}, {"id", "ipv4-addr--1"}, {"value", "10.1.2.3"}}},
  };
  bj::object od{{"type", "observed-data"},
                {"first_observed", "2016-06-01T10:00:00Z"},
                {"last_observed", "2016-06-01T10:00:00Z"},
                {"number_observed", 3},
                {"object_refs", bj::array{"network-traffic--1"}}};
  Result<Observation> o = observation_from_observed_data(od, pool);
  ASSERT_TRUE(o.is_ok()) << o.status().to_string();
  EXPECT_EQ(o->number_observed, 3);
  EXPECT_EQ(o->objects.size(), 2u);  // the referenced address came along
  EXPECT_TRUE(m("[network-traffic:src_ref.value ISSUBSET '10.0.0.0/8'] REPEATS 3 TIMES", {*o}));
  EXPECT_FALSE(m("[network-traffic:src_ref.value ISSUBSET '10.0.0.0/8'] REPEATS 4 TIMES", {*o}));

  od["number_observed"] = 0;
  EXPECT_FALSE(observation_from_observed_data(od, pool).is_ok());
  od["number_observed"] = 1;
  od["first_observed"] = "yesterday";
  EXPECT_FALSE(observation_from_observed_data(od, pool).is_ok());
}

TEST(PatternObserve, TooManyCandidatesIsAnErrorNotAnEndlessSearch) {
  std::vector<Observation> many;
  for (int i = 0; i < 200; ++i) {
    many.push_back(obs("2016-06-01T10:00:00Z", "2016-06-01T10:00:00Z", 1,
                       file_md5("79054025255fb1a26e4bc422aef54eb4")));
  }
  MatchOptions small;
  small.max_bindings = 1000;
  Result<bool> r = run(std::string(kHash) + " REPEATS 3 TIMES", many, small);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
}

}  // namespace
}  // namespace atio::stix::pattern
