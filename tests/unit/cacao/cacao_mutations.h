// Deterministic mutations of CACAO documents for the schema-oracle and
// load/export contract tests: every node deleted, retyped and given boundary
// values (identifiers, timestamps, numbers, address strings, empty containers),
// dictionary keys renamed, step on_* and type edits, and whole-document
// additions for the schema families the corpus lacks. Header-only (see
// cacao_test_support.h).
#pragma once

#include <boost/json/serialize.hpp>

#include <cctype>
#include <functional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "atio/core/json.h"

namespace atio::cacao::testing {

namespace bj = boost::json;

struct Mutation {
  std::string description;
  bj::value doc;
};

using Token = std::variant<std::string, std::size_t>;
using Path = std::vector<Token>;

inline std::string pointer_of(const Path& path) {
  std::string p;
  for (const Token& t : path) {
    p = std::holds_alternative<std::string>(t) ? json::pointer_join(p, std::get<std::string>(t))
                                               : json::pointer_join(p, std::get<std::size_t>(t));
  }
  return p;
}

inline bj::value* resolve(bj::value& root, const Path& path, std::size_t count) {
  bj::value* v = &root;
  for (std::size_t i = 0; i < count; ++i) {
    if (std::holds_alternative<std::string>(path[i])) {
      v = v->as_object().if_contains(std::get<std::string>(path[i]));
    } else {
      v = &v->as_array().at(std::get<std::size_t>(path[i]));
    }
    if (v == nullptr) return nullptr;
  }
  return v;
}

class Mutator {
 public:
  Mutator(std::string name, const bj::value& doc) : name_(std::move(name)), doc_(doc) {}

  std::vector<Mutation> run() {
    Path path;
    walk(doc_, path);
    targeted();
    return std::move(out_);
  }

 private:
  // Replaces the node at `path` (non-root) with f(old) and records it.
  void replace(const Path& path, const std::string& what, const std::function<void(bj::value&)>& f) {
    bj::value copy = doc_;
    bj::value* v = resolve(copy, path, path.size());
    f(*v);
    out_.push_back({name_ + ": " + what + " at " + pointer_of(path), std::move(copy)});
  }

  void erase(const Path& path) {
    bj::value copy = doc_;
    bj::value* parent = resolve(copy, path, path.size() - 1);
    const Token& last = path.back();
    if (std::holds_alternative<std::string>(last)) {
      parent->as_object().erase(std::get<std::string>(last));
    } else {
      auto& a = parent->as_array();
      a.erase(a.begin() + static_cast<std::ptrdiff_t>(std::get<std::size_t>(last)));
    }
    out_.push_back({name_ + ": delete " + pointer_of(path), std::move(copy)});
  }

  void rename_key(const Path& path, const std::string& to) {
    bj::value copy = doc_;
    bj::object& parent = resolve(copy, path, path.size() - 1)->as_object();
    const std::string& from = std::get<std::string>(path.back());
    bj::value moved = parent.at(from);
    parent.erase(from);
    parent[to] = std::move(moved);
    out_.push_back({name_ + ": rename key " + pointer_of(path) + " to '" + to + "'", std::move(copy)});
  }

  std::string parent_key(const Path& path, std::size_t up) const {
    if (path.size() < up + 1) return "";
    const Token& t = path[path.size() - 1 - up];
    return std::holds_alternative<std::string>(t) ? std::get<std::string>(t) : "";
  }

  static bool looks_like_id(std::string_view s) {
    std::size_t sep = s.find("--");
    return sep != std::string_view::npos && s.size() >= sep + 2 + 36;
  }

  static bool looks_like_timestamp(std::string_view s) {
    return s.size() >= 20 && s[4] == '-' && s[10] == 'T' && s.back() == 'Z';
  }

  void strings(const Path& path, const std::string& s) {
    const std::string key = parent_key(path, 0);
    const std::string list_key = parent_key(path, 1);
    auto set = [&](const std::string& what, const std::string& to) {
      replace(path, what, [to](bj::value& v) { v = to; });
    };
    if (looks_like_id(s)) {
      std::size_t uuid = s.find("--") + 2;
      std::string v6 = s;
      v6[uuid + 14] = '6';
      set("UUID version 6 in id", v6);
      std::string upper = s;
      upper[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[0])));
      set("upper-case id prefix", upper);
      set("trailing newline in id", s + "\n");
      std::string bad_variant = s;
      bad_variant[uuid + 19] = 'c';
      set("UUID variant c in id", bad_variant);
      set("single dash in id", s.substr(0, uuid - 1) + s.substr(uuid));
    } else if (looks_like_timestamp(s)) {
      set("timestamp without Z", s.substr(0, s.size() - 1));
      set("timestamp month 13", s.substr(0, 5) + "13" + s.substr(7));
      set("timestamp with offset", s.substr(0, s.size() - 1) + "+01:00");
      set("timestamp with a space", s.substr(0, 10) + " " + s.substr(11));
      set("timestamp second 60", s.substr(0, 17) + "60" + s.substr(19));
      set("timestamp with trailing newline", s + "\n");
      set("timestamp with empty fraction", s.substr(0, 19) + ".Z");
    } else {
      set("empty string", "");
      set("unknown enum value", "x-not-in-any-enum");
    }
    // Address lists: the schema's regular expressions on tricky inputs.
    static const std::vector<std::pair<std::string, std::vector<std::string>>> kAddresses = {
        {"ipv4", {"999.1.1.1", "1.2.3.4.5", "a 1.2.3.4", "1.2.3", "01.02.03.004", "256.1.1.1",
                  "x1.2.3.4", "1.2.3.4\n", "1.2.3.04 "}},
        {"ipv6", {"::", "::1", "1::2::3", "fe80::1%", "::ffff:1.2.3.4", "2001:db8::g",
                  "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "x::1", "fe80::1%eth0\n"}},
        {"url", {"http://a.bc", "x.com", "a.b", "ab.cd1", "ab.cdefghi", "ab.Cd", "ab.cd_",
                 "ab.cd-x", "a.bc", "..bc", "hxxp://ex[.]com"}},
        {"l2mac", {"00:1A:2b:3c:4d:5e", "00:1a:2b:3c:4d", "00-1a-2b-3c-4d-5e", "00:1a:2b:3c:4d:5e\n"}},
        {"dname", {"", "not a domain"}}};
    for (const auto& [k, samples] : kAddresses) {
      if (list_key != k) continue;
      for (const std::string& sample : samples) set("address sample", sample);
    }
  }

  void numbers(const Path& path) {
    for (const auto& [what, v] : std::vector<std::pair<std::string, bj::value>>{
             {"101", bj::value(101)},
             {"-1", bj::value(-1)},
             {"0", bj::value(0)},
             {"1.5", bj::value(1.5)},
             {"2.0", bj::value(2.0)},
             {"4096", bj::value(4096)},
             {"1e20", bj::value(1e20)}}) {
      replace(path, "number " + what, [v = v](bj::value& x) { x = v; });
    }
  }

  void retype(const Path& path, const bj::value& v) {
    bj::value to;
    if (v.is_string()) to = 42;
    else if (v.is_number()) to = "1";
    else if (v.is_bool()) to = "false";
    else if (v.is_null()) to = 0;
    else if (v.is_array()) to = bj::object{{"x", 1}};
    else to = bj::array{"x"};
    replace(path, "change type", [to](bj::value& x) { x = to; });
    if (!v.is_null()) replace(path, "set null", [](bj::value& x) { x = nullptr; });
  }

  bool is_dictionary(const Path& path) const {
    static const std::set<std::string> kDicts = {
        "workflow",          "agent_definitions",        "target_definitions",
        "authentication_info_definitions", "playbook_variables", "step_variables",
        "data_marking_definitions", "extension_definitions", "cases",
        "playbook_extensions", "step_extensions", "address",       "email", "phone", "headers"};
    return path.size() >= 2 && kDicts.count(parent_key(path, 1)) != 0;
  }

  void walk(const bj::value& v, Path& path) {
    if (!path.empty()) {
      erase(path);
      retype(path, v);
      if (v.is_string()) strings(path, std::string(v.get_string()));
      if (v.is_number()) numbers(path);
      if (v.is_array()) {
        replace(path, "empty array", [](bj::value& x) { x = bj::array(); });
        replace(path, "append a number", [](bj::value& x) { x.as_array().push_back(42); });
        replace(path, "append a string", [](bj::value& x) { x.as_array().push_back("x"); });
      }
      if (v.is_object()) {
        replace(path, "empty object", [](bj::value& x) { x = bj::object(); });
        replace(path, "add an unknown property", [](bj::value& x) { x.as_object()["x_extra"] = 1; });
        step_mutations(path, v.get_object());
      }
      if (is_dictionary(path)) {
        const std::string key = std::get<std::string>(path.back());
        rename_key(path, "renamed-key");
        rename_key(path, "__1bad__");
        if (looks_like_id(key)) {
          std::string v6 = key;
          v6[key.find("--") + 2 + 14] = '6';
          rename_key(path, v6);
          rename_key(path, "step" + key.substr(key.find("--")));
        }
      }
    }
    if (v.is_object()) {
      for (const auto& kv : v.get_object()) {
        path.emplace_back(std::string(kv.key()));
        walk(kv.value(), path);
        path.pop_back();
      }
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.get_array().size(); ++i) {
        path.emplace_back(i);
        walk(v.get_array()[i], path);
        path.pop_back();
      }
    }
  }

  // Workflow steps: the on_* rules of workflow-step.json, start.json, end.json.
  void step_mutations(const Path& path, const bj::object& step) {
    if (path.size() != 2 || parent_key(path, 1) != "workflow") return;
    const std::string self = std::get<std::string>(path.back());
    for (const char* key : {"on_completion", "on_success", "on_failure"}) {
      if (step.contains(key)) continue;
      replace(path, std::string("add ") + key,
              [&](bj::value& x) { x.as_object()[key] = self; });
    }
    for (const char* type : {"start", "end", "action", "while-condition", "bogus"}) {
      replace(path, std::string("set type ") + type, [&](bj::value& x) { x.as_object()["type"] = type; });
    }
    replace(path, "remove every on_*", [](bj::value& x) {
      for (const char* key : {"on_completion", "on_success", "on_failure"}) x.as_object().erase(key);
    });
  }

  // o[key] as an object, created when absent (existing entries stay).
  static bj::object& dict(bj::object& o, std::string_view key) {
    bj::value& v = o[key];
    if (!v.is_object()) v.emplace_object();
    return v.as_object();
  }

  // Whole-document edits the walk does not produce.
  void targeted() {
    if (!doc_.is_object()) return;
    auto add = [&](const std::string& what, const std::function<void(bj::object&)>& f) {
      bj::value copy = doc_;
      f(copy.as_object());
      out_.push_back({name_ + ": " + what, std::move(copy)});
    };
    const bj::value iep = bj::object{
        {"type", "marking-iep"}, {"id", "marking-iep--00000000-0000-4000-8000-0000000000d1"},
        {"created_by", "identity--5abe695c-7bd5-4c31-8824-2528696cdbf1"},
        {"created", "2024-01-01T00:00:00Z"}, {"name", "iep"}, {"description", "d"},
        {"tlp", "green"}, {"iep_version", 1}, {"start_date", "2024-01-01T00:00:00Z"},
        {"end_date", nullptr}, {"encrypt_in_transit", "may"}, {"permitted_actions", "all"},
        {"affected_party_notifications", "may"}, {"attribution", "may"},
        {"unmodified_resale", "may"}, {"external_references", bj::array{"ref"}}};
    add("add an IEP data marking", [&](bj::object& o) {
      dict(o, "data_marking_definitions")["marking-iep--00000000-0000-4000-8000-0000000000d1"] = iep;
    });
    add("add a statement marking without statement", [&](bj::object& o) {
      dict(o, "data_marking_definitions")["marking-statement--00000000-0000-4000-8000-0000000000d2"] =
          bj::object{{"type", "marking-statement"},
                     {"id", "marking-statement--00000000-0000-4000-8000-0000000000d2"},
                     {"created_by", "identity--5abe695c-7bd5-4c31-8824-2528696cdbf1"},
                     {"created", "2024-01-01T00:00:00Z"}};
    });
    bj::object sig{{"type", "jss"},
                   {"id", "jss--00000000-0000-4000-8000-0000000000c9"},
                   {"created", "2024-01-01T00:00:00Z"},
                   {"modified", "2024-01-01T00:00:00Z"},
                   {"signee", "x"},
                   {"related_to", "playbook--6c7c9a52-5d2b-4c1e-9a0e-2f5d3c8b1a01"},
                   {"related_version", "2024-01-01T00:00:00Z"},
                   {"hash_algorithm", "sha256"},
                   {"algorithm", "RS256"},
                   {"value", "v"}};
    add("add a signature without a key", [&](bj::object& o) { o["signatures"] = bj::array{sig}; });
    bj::object with_key = sig;
    with_key["thumbprint"] = "t";
    add("add a signature with a thumbprint", [&](bj::object& o) { o["signatures"] = bj::array{with_key}; });
    with_key["public_key"] = "k";
    add("add a signature with two keys", [&](bj::object& o) { o["signatures"] = bj::array{with_key}; });
    add("add a while step without on_true", [&](bj::object& o) {
      if (!o["workflow"].is_object()) return;
      o["workflow"].as_object()["while-condition--00000000-0000-4000-8000-0000000000d3"] =
          bj::object{{"type", "while-condition"}, {"condition", "x"}};
    });
    add("add a switch step with a bad case", [&](bj::object& o) {
      if (!o["workflow"].is_object()) return;
      o["workflow"].as_object()["switch-condition--00000000-0000-4000-8000-0000000000d4"] =
          bj::object{{"type", "switch-condition"},
                     {"switch", "__x__:value"},
                     {"cases", bj::object{{"a", "playbook-action--00000000-0000-4000-8000-0000000000d5"},
                                          {"b b", "end--00000000-0000-4000-8000-0000000000d6"},
                                          {"c", "x-end--00000000-0000-4000-8000-0000000000d6"},
                                          {"d", "not-an-id"}}}};
    });
    add("add a parallel step with one next step", [&](bj::object& o) {
      if (!o["workflow"].is_object()) return;
      o["workflow"].as_object()["parallel--00000000-0000-4000-8000-0000000000d7"] =
          bj::object{{"type", "parallel"},
                     {"next_steps", bj::array{"end--00000000-0000-4000-8000-0000000000d6"}}};
    });
    add("add an oauth2 without token", [&](bj::object& o) {
      dict(o, "authentication_info_definitions")["oauth2--00000000-0000-4000-8000-0000000000d8"] =
          bj::object{{"type", "oauth2"}, {"oauth_header", "Authorization"}};
    });
    add("add a sector agent without sector", [&](bj::object& o) {
      dict(o, "agent_definitions")["sector--00000000-0000-4000-8000-0000000000d9"] =
          bj::object{{"type", "sector"}, {"name", "s"}};
    });
    add("add an extension definition without version", [&](bj::object& o) {
      dict(o, "extension_definitions")["extension-definition--00000000-0000-4000-8000-0000000000da"] =
          bj::object{{"type", "extension-definition"},
                     {"name", "n"},
                     {"created_by", "identity--5abe695c-7bd5-4c31-8824-2528696cdbf1"},
                     {"schema", "s"}};
    });
  }

  std::string name_;
  const bj::value& doc_;
  std::vector<Mutation> out_;
};

// Every mutation of `doc`, without duplicates (by serialised text).
inline std::vector<Mutation> mutations_of(const std::string& name, const bj::value& doc) {
  std::vector<Mutation> all = Mutator(name, doc).run();
  std::vector<Mutation> out;
  std::set<std::string> seen;
  for (Mutation& m : all) {
    if (seen.insert(bj::serialize(m.doc)).second) out.push_back(std::move(m));
  }
  return out;
}

}  // namespace atio::cacao::testing
