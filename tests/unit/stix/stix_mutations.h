// Systematic mutations of a STIX object for the schema-oracle comparison:
// each property dropped, given the wrong JSON type, null or an empty list,
// nested members dropped or retyped, bad identifiers and timestamps,
// out-of-range numbers, and custom property names good and bad. Whether a
// mutation is valid is decided by the oracle, never written down here.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace atio::stix::testing {

namespace bj = boost::json;

struct Mutation {
  std::string what;
  bj::object object;
};

inline bj::value wrong_type(const bj::value& v) {
  if (v.is_string()) return 42;
  if (v.is_number()) return "42";
  if (v.is_bool()) return "true";
  return "x";
}

inline bool looks_like_timestamp(const bj::value& v) {
  if (!v.is_string()) return false;
  const std::string_view s = v.get_string();
  return s.size() >= 20 && s[4] == '-' && s[10] == 'T' && s.back() == 'Z';
}

inline std::vector<Mutation> mutate(const bj::object& o) {
  std::vector<Mutation> out;
  auto with = [&](std::string what, auto&& change) {
    bj::object m = o;
    change(m);
    out.push_back({std::move(what), std::move(m)});
  };
  for (const auto& kv : o) {
    const std::string key(kv.key());
    const bj::value& v = kv.value();
    with("drop " + key, [&](bj::object& m) { m.erase(key); });
    if (key == "type") continue;  // another type is another schema
    with(key + " of the wrong JSON type", [&](bj::object& m) { m[key] = wrong_type(v); });
    with(key + " null", [&](bj::object& m) { m[key] = nullptr; });
    with(key + " empty list", [&](bj::object& m) { m[key] = bj::array(); });
    with(key + " empty object", [&](bj::object& m) { m[key] = bj::object(); });
    if (looks_like_timestamp(v)) {
      with(key + " month 13", [&](bj::object& m) { m[key] = "2020-13-01T00:00:00Z"; });
      with(key + " February 30", [&](bj::object& m) { m[key] = "2021-02-30T00:00:00.000Z"; });
      with(key + " whole seconds", [&](bj::object& m) { m[key] = "2020-01-01T00:00:00Z"; });
      with(key + " with an offset", [&](bj::object& m) { m[key] = "2020-01-01T00:00:00+01:00"; });
      with(key + " far future", [&](bj::object& m) { m[key] = "2999-01-01T00:00:00.000Z"; });
      with(key + " far past", [&](bj::object& m) { m[key] = "1970-01-01T00:00:00.000Z"; });
    } else if (v.is_string()) {
      with(key + " outside any vocabulary", [&](bj::object& m) { m[key] = "zzz-not-in-vocab"; });
    }
    if (v.is_array() && !v.get_array().empty()) {
      const bj::value& first = v.get_array()[0];
      with(key + "[0] of the wrong JSON type",
           [&](bj::object& m) { m[key].get_array()[0] = wrong_type(first); });
      if (first.is_string()) {
        with(key + "[0] an identifier of another type", [&](bj::object& m) {
          m[key].get_array()[0] = "ipv4-addr--9a6f1d5b-bd5c-4b7c-9e3a-2b6c1c2b4c11";
        });
      }
      if (first.is_object()) {
        for (const auto& inner : first.get_object()) {
          const std::string k(inner.key());
          with(key + "[0] drop " + k,
               [&](bj::object& m) { m[key].get_array()[0].get_object().erase(k); });
          with(key + "[0]." + k + " of the wrong JSON type", [&](bj::object& m) {
            m[key].get_array()[0].get_object()[k] = wrong_type(inner.value());
          });
        }
      }
    }
    if (v.is_object()) {
      for (const auto& inner : v.get_object()) {
        const std::string k(inner.key());
        with(key + " drop " + k, [&](bj::object& m) { m[key].get_object().erase(k); });
        with(key + "." + k + " of the wrong JSON type",
             [&](bj::object& m) { m[key].get_object()[k] = wrong_type(inner.value()); });
      }
      with(key + " with a bad key", [&](bj::object& m) { m[key].get_object()["Bad Key!"] = "v"; });
      // One level deeper: the members of extensions, hashes of extensions, ...
      for (const auto& inner : v.get_object()) {
        if (!inner.value().is_object()) continue;
        const std::string k(inner.key());
        for (const auto& deep : inner.value().get_object()) {
          const std::string d(deep.key());
          const std::string where = key + "." + k + "." + d;
          auto at = [&](bj::object& m) -> bj::object& {
            return m[key].get_object()[k].get_object();
          };
          with("drop " + where, [&](bj::object& m) { at(m).erase(d); });
          with(where + " of the wrong JSON type",
               [&](bj::object& m) { at(m)[d] = wrong_type(deep.value()); });
          with(where + " null", [&](bj::object& m) { at(m)[d] = nullptr; });
          if (deep.value().is_array() && !deep.value().get_array().empty()) {
            with(where + "[0] of the wrong JSON type", [&](bj::object& m) {
              at(m)[d].get_array()[0] = wrong_type(deep.value().get_array()[0]);
            });
          }
        }
        with(key + "." + k + " with a custom member",
             [&](bj::object& m) { m[key].get_object()[k].get_object()["x_extra"] = 1; });
      }
    }
  }
  auto uuid = [&]() -> std::string {
    const auto it = o.find("id");
    if (it == o.end() || !it->value().is_string()) return "9a6f1d5b-bd5c-4b7c-9e3a-2b6c1c2b4c11";
    const std::string_view id = it->value().get_string();
    return std::string(id.size() >= 36 ? id.substr(id.size() - 36) : id);
  };
  const std::string other =
      o.contains("type") && o.at("type") == "indicator" ? "malware" : "indicator";
  with("id of another type", [&](bj::object& m) { m["id"] = other + "--" + uuid(); });
  with("id not an identifier", [&](bj::object& m) { m["id"] = "not-an-id"; });
  with("id with a version 0 UUID",
       [&](bj::object& m) { m["id"] = "indicator--9a6f1d5b-bd5c-0b7c-9e3a-2b6c1c2b4c11"; });
  for (const char* ref : {"created_by_ref", "source_ref", "target_ref", "sighting_of_ref"}) {
    for (const char* target :
         {"identity", "ipv4-addr", "relationship", "marking-definition", "x-custom-thing"}) {
      with(std::string(ref) + " to a " + target,
           [&](bj::object& m) { m[ref] = std::string(target) + "--" + uuid(); });
    }
  }
  with("object_marking_refs to an identity",
       [&](bj::object& m) { m["object_marking_refs"] = bj::array{"identity--" + uuid()}; });
  for (double c : {-1.0, 0.0, 100.0, 101.0, 50.5}) {
    with("confidence " + std::to_string(c), [&](bj::object& m) {
      if (c == static_cast<int>(c)) {
        m["confidence"] = static_cast<int>(c);
      } else {
        m["confidence"] = c;
      }
    });
  }
  for (const char* key : {"number_observed", "count"}) {
    for (long long n : {-1LL, 0LL, 1LL, 999999999LL, 1000000000LL}) {
      with(std::string(key) + " " + std::to_string(n), [&](bj::object& m) { m[key] = n; });
    }
  }
  const std::string long_name = "x_" + std::string(300, 'a');
  for (const std::string& name :
       {std::string("x_foo"), std::string("foo"), std::string("Bad"), std::string("x-foo"),
        std::string("x_foo-bar"), std::string("ab"), long_name, std::string("Foo_id"),
        std::string("1abc"), std::string("severity")}) {
    with("custom property " + name.substr(0, 20), [&](bj::object& m) { m[name] = "value"; });
  }
  with("custom _bin property not base64", [&](bj::object& m) { m["x_data_bin"] = "!!"; });
  with("custom _bin property base64", [&](bj::object& m) { m["x_data_bin"] = "aGVsbG8="; });
  with("custom _hex property odd", [&](bj::object& m) { m["x_data_hex"] = "abc"; });
  with("custom property an empty list", [&](bj::object& m) { m["x_list"] = bj::array(); });
  with("custom property null", [&](bj::object& m) { m["x_null"] = nullptr; });
  with("hashes with a bad MD5", [&](bj::object& m) { m["hashes"] = bj::object{{"MD5", "1234"}}; });
  with("hashes with a custom algorithm", [&](bj::object& m) {
    m["hashes"] = bj::object{{"x-custom-hash", "1234"}};
  });
  with("extensions with a bad name", [&](bj::object& m) {
    m["extensions"] = bj::object{{"bad", bj::object{{"a", 1}}}};
  });
  with("external reference cve without id", [&](bj::object& m) {
    m["external_references"] = bj::array{bj::object{{"source_name", "cve"}}};
  });
  with("external reference with a CVE id elsewhere", [&](bj::object& m) {
    m["external_references"] =
        bj::array{bj::object{{"source_name", "nvd"}, {"external_id", "CVE-2020-1234"}}};
  });
  with("granular marking with lang and marking_ref", [&](bj::object& m) {
    m["granular_markings"] = bj::array{
        bj::object{{"selectors", bj::array{"description"}},
                   {"lang", "en"},
                   {"marking_ref", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"}}};
  });
  with("granular marking with a bad selector", [&](bj::object& m) {
    m["granular_markings"] = bj::array{
        bj::object{{"selectors", bj::array{"a"}},
                   {"marking_ref", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"}}};
  });
  return out;
}

}  // namespace atio::stix::testing
