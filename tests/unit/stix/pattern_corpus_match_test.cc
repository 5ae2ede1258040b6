// Matching corpus indicators against the observed data they were made from.
//
// misp-stix writes, for a MISP attribute or object, an observed-data with its
// SCOs, an indicator, and a "based-on" relationship from the indicator to the
// observed-data: the indicator's pattern describes that observation. Most
// pairs match; some do not, because misp-stix names a property differently in
// the pattern and in the SCO ('SHA-224' vs SHA224, reply_to vs Reply-To),
// compares a list without [*], or a base64 property with a string. Whether a
// pair must match is decided by a small independent oracle below, which reads
// the pattern text with regular expressions and walks the JSON itself (the
// corpus patterns are AND-joined '=' comparisons). With every compared value
// of the SCOs altered, no pattern may match.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include <regex>
#include <string>

#include "atio/core/base64.h"

#include "atio/cti/stix/pattern_match.h"
#include "unit/stix/pattern_corpus.h"

namespace atio::stix::pattern {
namespace {

struct BasedOn {
  std::string file;
  bj::object indicator;
  bj::object observed_data;
  bj::object pool;  // every object of the same list, by id
};

// Arrays of STIX objects (bundles' "objects", the mapping docs' "STIX" lists).
template <typename F>
void for_each_object_list(const bj::value& v, F&& f) {
  if (const bj::object* o = v.if_object()) {
    for (const auto& kv : *o) for_each_object_list(kv.value(), f);
  } else if (const bj::array* a = v.if_array()) {
    if (!a->empty() && a->front().is_object() && a->front().get_object().contains("type")) f(*a);
    for (const bj::value& e : *a) for_each_object_list(e, f);
  }
}

std::vector<BasedOn> based_on_pairs() {
  std::vector<BasedOn> out;
  testing::for_each_corpus_json([&](const std::string& file, const bj::value& v) {
    for_each_object_list(v, [&](const bj::array& list) {
      bj::object pool;
      for (const bj::value& e : list) {
        const bj::object* o = e.if_object();
        if (o && o->contains("id") && o->at("id").is_string()) pool[o->at("id").get_string()] = *o;
      }
      for (const bj::value& e : list) {
        const bj::object* rel = e.if_object();
        if (!rel || !rel->contains("relationship_type") ||
            rel->at("relationship_type") != "based-on") {
          continue;
        }
        const bj::value* src = pool.if_contains(rel->at("source_ref").as_string());
        const bj::value* dst = pool.if_contains(rel->at("target_ref").as_string());
        if (!src || !dst || !testing::is_stix_indicator(src->get_object()) ||
            dst->get_object().at("type") != "observed-data") {
          continue;
        }
        out.push_back({file, src->get_object(), dst->get_object(), pool});
      }
    });
  });
  return out;
}

// Changes every value a pattern could compare (strings, numbers, booleans)
// and leaves types and references as they are.
void alter(bj::value& v, std::string_view key) {
  if (key == "type" || key == "id" || key.ends_with("_ref") || key.ends_with("_refs")) return;
  if (bj::object* o = v.if_object()) {
    for (auto& kv : *o) alter(kv.value(), kv.key());
  } else if (bj::array* a = v.if_array()) {
    for (bj::value& e : *a) alter(e, key);
  } else if (v.is_string()) {
    v = std::string(v.get_string()) + "-altered";
  } else if (v.is_int64()) {
    v = v.get_int64() + 1;
  } else if (v.is_double()) {
    v = v.get_double() + 1;
  } else if (v.is_bool()) {
    v = !v.get_bool();
  }
}

// --- the oracle -----------------------------------------------------------

struct OracleComparison {
  std::string type;
  std::vector<std::string> steps;  // "key", "[*]", "[3]"
  std::string literal;             // unescaped
};

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out.push_back(s[i]);
  }
  return out;
}

// Every `type:path = 'literal'` of the text; false when the text holds
// anything else (OR, other operators), which the oracle does not handle.
bool oracle_comparisons(const std::string& text, std::vector<OracleComparison>* out) {
  static const std::regex kComparison(
      R"(([a-z0-9-]+):((?:[A-Za-z0-9_-]+|'[^']*'|\[(?:\*|\d+)\]|\.)+) = '((?:[^'\\]|\\.)*)')");
  static const std::regex kStep(R"(([A-Za-z0-9_-]+)|'([^']*)'|(\[(?:\*|\d+)\]))");
  std::string rest = text;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kComparison);
       it != std::sregex_iterator(); ++it) {
    OracleComparison c{(*it)[1].str(), {}, unescape((*it)[3].str())};
    const std::string path = (*it)[2].str();
    for (auto s = std::sregex_iterator(path.begin(), path.end(), kStep);
         s != std::sregex_iterator(); ++s) {
      c.steps.push_back((*s)[1].matched ? (*s)[1].str() : (*s)[2].matched ? (*s)[2].str() : (*s)[3].str());
    }
    out->push_back(std::move(c));
    rest.replace(rest.find(it->str()), it->str().size(), it->str().size(), ' ');
  }
  // What is left may only be brackets, parentheses and AND.
  return std::regex_match(rest, std::regex(R"([\s\[\]()]*(AND[\s\[\]()]*)*)"));
}

bool oracle_holds(const OracleComparison& c, const bj::value& root, const bj::object& objects) {
  std::vector<std::pair<const bj::value*, std::string>> cur{{&root, ""}};
  for (const std::string& step : c.steps) {
    std::vector<std::pair<const bj::value*, std::string>> next;
    for (auto [v, key] : cur) {
      if (step[0] == '[') {
        if (!v->is_array()) continue;
        const bj::array& a = v->get_array();
        if (step == "[*]") {
          for (const bj::value& e : a) next.push_back({&e, key});
        } else if (std::size_t i = std::stoul(step.substr(1)); i < a.size()) {
          next.push_back({&a[i], key});
        }
        continue;
      }
      if (v->is_string() && (key.ends_with("_ref") || key.ends_with("_refs"))) {
        v = objects.if_contains(v->get_string());
        if (!v) continue;
      }
      if (v->is_object() && v->get_object().contains(step)) {
        next.push_back({&v->get_object().at(step), step});
      }
    }
    cur = std::move(next);
  }
  for (auto [v, key] : cur) {
    if (v->is_string()) {
      std::string s(v->get_string());
      if (key.ends_with("_bin")) {
        if (std::optional<std::string> bytes = base64_decode(s)) s = *bytes;
      }
      if (s == c.literal) return true;
    } else if (v->is_number() && bj::serialize(*v) == c.literal) {
      return true;
    }
  }
  return false;
}

// True when one SCO satisfies every comparison.
bool oracle_matches(const std::vector<OracleComparison>& cs, const bj::object& objects) {
  for (const auto& kv : objects) {
    const bj::object& sco = kv.value().get_object();
    bool all = true;
    for (const OracleComparison& c : cs) {
      all = all && sco.at("type").as_string() == c.type && oracle_holds(c, kv.value(), objects);
    }
    if (all) return true;
  }
  return false;
}

TEST(PatternCorpusMatch, IndicatorsMatchTheObservedDataTheyAreBasedOn) {
  std::vector<BasedOn> pairs = based_on_pairs();
  ASSERT_GE(pairs.size(), 50u);
  std::size_t matched = 0;
  for (const BasedOn& pair : pairs) {
    const std::string text(pair.indicator.at("pattern").as_string());
    SCOPED_TRACE(pair.file + ": " + text);
    Result<Pattern> p = parse(text);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    Result<Observation> obs = observation_from_observed_data(pair.observed_data, pair.pool);
    ASSERT_TRUE(obs.is_ok()) << obs.status().to_string();
    ASSERT_FALSE(obs->objects.empty());
    Result<bool> m = matches(*p, {*obs});
    ASSERT_TRUE(m.is_ok()) << m.status().to_string();
    std::vector<OracleComparison> comparisons;
    ASSERT_TRUE(oracle_comparisons(text, &comparisons));
    ASSERT_FALSE(comparisons.empty());
    const bool expected = oracle_matches(comparisons, obs->objects);
    EXPECT_EQ(*m, expected);
    matched += expected ? 1 : 0;

    bj::value altered = obs->objects;
    alter(altered, "");
    Observation other = *obs;
    other.objects = altered.get_object();
    Result<bool> none = matches(*p, {other});
    ASSERT_TRUE(none.is_ok());
    EXPECT_FALSE(*none);
  }
  // Most indicators describe their observation faithfully.
  EXPECT_GT(matched, pairs.size() * 2 / 3);
}

}  // namespace
}  // namespace atio::stix::pattern
