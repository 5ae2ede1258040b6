// Shared by the MISP converter tests: corpus paths, the table of documented
// differences from misp-stix (read from docs/misp-stix.md, so a difference
// the code makes must be written down there for the tests to pass), and an
// object-for-object comparison of produced STIX against misp-stix's.
#pragma once

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "atio/core/json.h"

namespace atio::convert::testing {

namespace bj = boost::json;

inline std::string misp_corpus() { return std::string(ATIO_CORPUS_DIR) + "/misp"; }

inline bj::value load(const std::string& path) {
  auto v = json::parse_file(path, json::ParseLimits{64u << 20, 128});
  if (!v.is_ok()) throw std::runtime_error(v.status().to_string());
  return std::move(v).value();
}

// Rows of the differences table in docs/misp-stix.md:
// | `object type` | `property` | `MISP type or template` | misp-stix | atio | why |
// "*" as the type or the MISP type means every one.
using Difference = std::tuple<std::string, std::string, std::string>;
inline std::set<Difference> documented_differences() {
  std::ifstream in(std::string(ATIO_SOURCE_DIR) + "/docs/misp-stix.md");
  std::set<Difference> out;
  std::string line;
  auto cell = [](const std::string& c) {
    auto a = c.find('`'), b = c.rfind('`');
    if (a == std::string::npos || b <= a) return std::string();
    return c.substr(a + 1, b - a - 1);
  };
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    // "\|" is a literal bar inside a cell (regkey\|value).
    for (std::size_t p; (p = line.find("\\|")) != std::string::npos;) line.replace(p, 2, "\x01");
    std::vector<std::string> cells;
    std::stringstream ss(line.substr(1));
    std::string c;
    while (std::getline(ss, c, '|')) cells.push_back(c);
    if (cells.size() < 3) continue;
    std::string type = cell(cells[0]), prop = cell(cells[1]), misp = cell(cells[2]);
    for (char& ch : misp) ch = ch == '\x01' ? '|' : ch;
    if (!type.empty() && !prop.empty() && !misp.empty()) out.insert({type, prop, misp});
  }
  return out;
}

struct Comparison {
  int objects = 0;          // expected objects
  int found = 0;            // produced with the same id (relationships: same triple) and type
  int identical = 0;        // ... and every expected property equal
  std::vector<std::string> missing;       // expected objects not produced
  std::vector<std::string> undocumented;  // differing properties not in the table
  std::vector<std::string> documented;    // differing properties the table explains
};

inline const bj::object* find_produced(const bj::array& produced, const bj::object& want) {
  const bool rel = want.at("type").as_string() == "relationship";
  for (const auto& v : produced) {
    const bj::object& o = v.as_object();
    if (rel) {
      if (o.at("type").as_string() != "relationship") continue;
      if (o.at("source_ref") == want.at("source_ref") &&
          o.at("target_ref") == want.at("target_ref") &&
          o.at("relationship_type") == want.at("relationship_type")) {
        return &o;
      }
    } else if (o.at("id") == want.at("id")) {
      return &o;
    }
  }
  return nullptr;
}

// Compares every expected object with the produced one of the same id.
// `misp` names what was converted (the attribute type or template) for the
// table; `context` prefixes messages.
inline Comparison compare(const bj::array& expected, const bj::array& produced,
                          const std::string& context, const std::string& misp = "*") {
  static const auto table = documented_differences();
  Comparison c;
  // Relationship ids differ (documented); refs to them are compared through
  // the produced relationship with the same source, type and target.
  std::map<std::string, std::string> renamed;
  for (const auto& v : expected) {
    const bj::object& want = v.as_object();
    if (want.at("type").as_string() != "relationship") continue;
    if (const bj::object* got = find_produced(produced, want)) {
      renamed[std::string(want.at("id").as_string())] = std::string(got->at("id").as_string());
    }
  }
  auto translate = [&](bj::value v) {
    if (v.is_array()) {
      for (auto& e : v.as_array()) {
        if (e.is_string() && renamed.count(std::string(e.as_string()))) {
          e = bj::string(renamed[std::string(e.as_string())]);
        }
      }
    }
    return v;
  };
  for (const auto& v : expected) {
    const bj::object& want = v.as_object();
    const std::string type(want.at("type").as_string());
    ++c.objects;
    const bj::object* got = find_produced(produced, want);
    if (got == nullptr || got->at("type") != want.at("type")) {
      c.missing.push_back(context + ": " + json::dump(want.at("id")));
      continue;
    }
    ++c.found;
    bool same = true;
    for (const auto& kv : want) {
      const std::string key(kv.key());
      auto it = got->find(key);
      if (it != got->end() && it->value() == translate(kv.value())) continue;
      same = false;
      const std::string where = context + ": " + type + "." + key + " expected " +
                                json::dump(kv.value()) + " got " +
                                (it == got->end() ? "nothing" : json::dump(it->value()));
      bool listed = false;
      for (const std::string& t : {type, std::string("*")}) {
        for (const std::string& m : {misp, std::string("*")}) listed |= table.count({t, key, m}) > 0;
      }
      if (listed) {
        c.documented.push_back(where);
      } else {
        c.undocumented.push_back(where);
      }
    }
    if (same) ++c.identical;
  }
  return c;
}

inline std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += "  " + s + "\n";
  return out;
}

}  // namespace atio::convert::testing
