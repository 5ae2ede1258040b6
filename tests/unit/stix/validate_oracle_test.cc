// validate() against the reference: Python jsonschema (Draft 2020-12) on the
// official OASIS STIX 2.1 schemas, via tests/tools/stix_schema_oracle.py.
// Every object of every corpus file, and systematic mutations of them, is
// judged by both. Verdicts are never written down here.
//
// Agreement means: when the oracle rejects an object, atio reports an error
// under a schema.* rule; when the oracle accepts it, atio reports no error
// except under one of the spec rules listed below, which the STIX 2.1 text
// requires and a JSON schema cannot express.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "atio/cti/stix/validate.h"
#include "stix_mutations.h"
#include "stix_test_support.h"

namespace atio::stix {
namespace {

namespace bj = boost::json;
using testing::short_name;

// Where atio is deliberately stricter than the schemas: the rule and why the
// schema cannot see it.
const std::map<std::string_view, std::string_view> kStricter = {
    {"spec.time-order",
     "created <= modified, first_seen <= last_seen, valid_from < valid_until, ...: "
     "JSON Schema cannot compare two properties"},
    {"spec.timestamp-date", "the schema pattern allows day 31 in every month (2021-02-30)"},
    {"spec.ref-type",
     "reference target types (created_by_ref -> identity, object_marking_refs -> "
     "marking-definition, sighting_of_ref -> SDO, SCO references): the schemas check a few"},
    {"spec.identifier", "SCO references are identifiers; the schemas only ask for a string"},
    {"spec.property-name",
     "property names are [a-z0-9_]{3,250}; properties.json checks only the first three "
     "characters (or a trailing 'id')"},
    {"spec.property-format",
     "values the text types but a schema leaves open: sighting description, incident "
     "kill_chain_phases, _bin/_hex names of a marking-definition, untyped list entries"},
    {"spec.null", "no null values: marking-definition has no properties.json"},
    {"spec.empty-list", "no empty lists: marking-definition has no properties.json"},
    {"spec.reserved", "reserved property names: marking-definition has no core.json"},
    {"spec.required", "extension-definition needs created_by_ref (spec 7.3)"},
    {"spec.granular-marking", "a granular marking has marking_ref or lang, not both"},
    {"spec.observed-sco", "observed-data object_refs contains at least one SCO"},
};

struct Case {
  std::string what;
  bj::value doc;          // what the oracle judges
  bool envelope = false;  // a bundle: judge only the problems outside /objects/
};

std::string summary(const Validation& v) {
  std::string s;
  for (const auto& p : v.problems) {
    if (p.severity != Problem::Severity::kError) continue;
    s += "\n    " + std::string(p.rule) + " " + p.pointer + ": " + p.message;
  }
  return s;
}

// The object-level verdict of atio for `c`.
Validation judge(const Case& c) {
  if (!c.envelope) {
    Validation v;
    validate_object(c.doc.get_object(), "", &v);
    return v;
  }
  Validation all = validate(c.doc);
  Validation v;
  for (auto& p : all.problems) {
    if (p.pointer.rfind("/objects/", 0) != 0) v.problems.push_back(std::move(p));
  }
  return v;
}

std::string signature(const bj::object& o) {
  std::set<std::string> keys;
  for (const auto& kv : o) keys.insert(std::string(kv.key()));
  std::string s = o.contains("type") ? bj::serialize(o.at("type")) : "";
  for (const auto& k : keys) s += " " + k;
  return s;
}

TEST(StixSchemaOracle, AgreesOnEveryCorpusObjectAndItsMutations) {
  std::vector<Case> cases;
  std::vector<std::string> invalid_json;
  std::set<std::string> mutated;  // signatures already mutated
  std::size_t corpus_objects = 0;
  for (const std::string& path : testing::stix_files()) {
    const std::string text = testing::read_file(path);
    boost::system::error_code ec;
    bj::value doc = bj::parse(text, ec);
    if (ec) {
      invalid_json.push_back(path);
      continue;
    }
    std::vector<const bj::value*> objects;
    if (doc.is_array()) {
      for (const auto& o : doc.get_array()) objects.push_back(&o);
    } else if (doc.is_object() && doc.get_object().contains("objects") &&
               doc.at("type") == "bundle") {
      cases.push_back({short_name(path) + " (bundle)", doc, true});
      for (const auto& o : doc.at("objects").get_array()) objects.push_back(&o);
    } else {
      objects.push_back(&doc);
    }
    for (std::size_t i = 0; i < objects.size(); ++i) {
      ASSERT_TRUE(objects[i]->is_object()) << path << " object " << i;
      const bj::object& o = objects[i]->get_object();
      const std::string where = short_name(path) + " #" + std::to_string(i);
      cases.push_back({where, o});
      ++corpus_objects;
      if (!mutated.insert(signature(o)).second) continue;
      for (auto& m : testing::mutate(o)) {
        cases.push_back({where + ": " + m.what, std::move(m.object)});
      }
    }
  }

  // The two files that are not JSON on purpose: both call them syntax errors.
  ASSERT_EQ(invalid_json.size(), 2u);
  std::string why;
  {
    std::vector<std::string> texts;
    for (const auto& path : invalid_json) texts.push_back(testing::read_file(path));
    // One file per line is not possible for broken JSON: judge each file alone.
    for (std::size_t i = 0; i < texts.size(); ++i) {
      std::string flat = texts[i];
      for (char& c : flat) c = c == '\n' ? ' ' : c;
      const auto verdict = testing::run_oracle({flat}, &why);
      ASSERT_EQ(verdict.size(), 1u) << why;
      EXPECT_EQ(verdict[0], "error") << short_name(invalid_json[i]);
      const Validation v = validate_json(texts[i]);
      ASSERT_EQ(v.problems.size(), 1u) << short_name(invalid_json[i]);
      EXPECT_EQ(v.problems[0].rule, "json.syntax");
      EXPECT_EQ(v.problems[0].pointer, "");
    }
  }

  std::vector<std::string> lines;
  lines.reserve(cases.size());
  for (const Case& c : cases) {
    if (c.envelope) {
      bj::object envelope = c.doc.get_object();
      lines.push_back(bj::serialize(envelope));
    } else {
      lines.push_back(bj::serialize(c.doc));
    }
  }
  const std::vector<std::string> oracle = testing::run_oracle(lines, &why);
  ASSERT_EQ(oracle.size(), cases.size()) << "the schema oracle did not run (needs /usr/bin/python3 "
                                            "with python3-jsonschema): "
                                         << why;

  std::size_t compared = 0, no_schema = 0, oracle_invalid = 0;
  std::map<std::string_view, int> stricter;
  int disagreements = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string verdict = oracle[i].substr(0, oracle[i].find('\t'));
    if (verdict == "noschema") {
      ++no_schema;
      continue;
    }
    ASSERT_TRUE(verdict == "valid" || verdict == "invalid") << oracle[i];
    ++compared;
    const Validation v = judge(cases[i]);
    if (verdict == "invalid") {
      ++oracle_invalid;
      bool schema_rule = false;
      for (const auto& p : v.problems) {
        schema_rule = schema_rule || (p.severity == Problem::Severity::kError &&
                                      p.rule.rfind("schema.", 0) == 0);
      }
      if (!schema_rule) {
        ++disagreements;
        ADD_FAILURE() << cases[i].what << ": the schema rejects it (" << oracle[i].substr(8)
                      << ") but atio reports no schema rule" << summary(v);
      }
      continue;
    }
    for (const auto& p : v.problems) {
      if (p.severity != Problem::Severity::kError) continue;
      if (kStricter.contains(p.rule)) {
        ++stricter[p.rule];
      } else {
        ++disagreements;
        ADD_FAILURE() << cases[i].what << ": the schema accepts it but atio reports " << p.rule
                      << " at " << p.pointer << ": " << p.message;
      }
    }
  }
  std::cout << "[ oracle   ] " << corpus_objects << " corpus objects, " << cases.size()
            << " documents in all (with mutations and bundle envelopes); " << compared
            << " compared with the OASIS schemas (" << oracle_invalid << " rejected by them), "
            << no_schema << " without a schema (custom types); " << disagreements
            << " disagreements\n";
  for (const auto& [rule, n] : stricter) {
    std::cout << "[ stricter ] " << rule << " x" << n << ": " << kStricter.at(rule) << "\n";
  }
  EXPECT_GT(compared, 1800u);
  EXPECT_GT(oracle_invalid, 1000u);
}

}  // namespace
}  // namespace atio::stix
