#include "atio/cti/enrich/policy.h"

#include <algorithm>
#include <cctype>

#include "atio/core/text.h"

namespace atio::enrich {

namespace bj = boost::json;

namespace {

bool read_list(const bj::object& o, std::string_view key, const std::string& pointer,
               std::vector<std::string>* out, json::FieldErrors* errors) {
  const bj::value* v = o.if_contains(key);
  if (v == nullptr) return false;
  const std::string at = json::pointer_join(pointer, key);
  if (!v->is_array() || v->get_array().empty()) {
    errors->push_back({at, "must be a non-empty array of strings"});
    return true;
  }
  for (std::size_t i = 0; i < v->get_array().size(); ++i) {
    const auto& e = v->get_array()[i];
    if (!e.is_string() || e.get_string().empty()) {
      errors->push_back({json::pointer_join(at, i), "must be a non-empty string"});
    } else {
      out->emplace_back(e.get_string());
    }
  }
  return true;
}

bj::array to_array(const std::vector<std::string>& v) {
  bj::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::optional<Policy> parse_policy(const bj::value& v, const std::string& pointer,
                                   json::FieldErrors* errors) {
  const std::size_t before = errors->size();
  if (!v.is_object()) {
    errors->push_back({pointer, "a policy must be a JSON object"});
    return std::nullopt;
  }
  const bj::object& o = v.get_object();
  Policy p;
  for (const auto& kv : o) {
    const std::string_view k = kv.key();
    if (k != "name" && k != "match" && k != "response" && k != "priority" && k != "description") {
      errors->push_back({json::pointer_join(pointer, k),
                         "unknown property (known: name, description, match, response, priority)"});
    }
  }
  const bj::value* name = o.if_contains("name");
  if (name == nullptr || !name->is_string() || name->get_string().empty()) {
    errors->push_back({json::pointer_join(pointer, "name"), "is required: a non-empty string"});
  } else {
    p.name = std::string(name->get_string());
  }
  if (!read_list(o, "response", pointer, &p.response, errors)) {
    errors->push_back({json::pointer_join(pointer, "response"),
                       "is required: the actions the policy requires, e.g. [\"open-case\"]"});
  }
  if (const bj::value* pr = o.if_contains("priority")) {
    static const char* const kPriorities[] = {"low", "medium", "high", "critical"};
    if (!pr->is_string() || std::find(std::begin(kPriorities), std::end(kPriorities),
                                      std::string_view(pr->get_string())) == std::end(kPriorities)) {
      errors->push_back({json::pointer_join(pointer, "priority"),
                         "must be one of low, medium, high, critical"});
    } else {
      p.priority = std::string(pr->get_string());
    }
  }
  if (const bj::value* m = o.if_contains("match")) {
    const std::string at = json::pointer_join(pointer, "match");
    if (!m->is_object()) {
      errors->push_back({at, "must be an object"});
    } else {
      const bj::object& mo = m->get_object();
      for (const auto& kv : mo) {
        const std::string_view k = kv.key();
        if (k == "kinds" || k == "object_types" || k == "asset_tags" || k == "techniques" ||
            k == "signature_contains" || k == "min_severity" || k == "min_importance") {
          continue;
        }
        errors->push_back({json::pointer_join(at, k),
                           "unknown criterion (known: kinds, object_types, min_severity, "
                           "min_importance, asset_tags, techniques, signature_contains)"});
      }
      read_list(mo, "kinds", at, &p.kinds, errors);
      for (const auto& k : p.kinds) {
        if (k != "alert" && k != "vulnerability") {
          errors->push_back({json::pointer_join(at, "kinds"), "'" + k + "': must be alert or vulnerability"});
        }
      }
      read_list(mo, "object_types", at, &p.object_types, errors);
      read_list(mo, "asset_tags", at, &p.asset_tags, errors);
      read_list(mo, "techniques", at, &p.techniques, errors);
      read_list(mo, "signature_contains", at, &p.signature_contains, errors);
      if (const bj::value* s = mo.if_contains("min_severity")) {
        const bool number = s->is_double() || s->is_int64();
        const double d = s->is_double() ? s->get_double() : s->is_int64() ? static_cast<double>(s->get_int64()) : -1;
        if (!number || d < 0 || d > 10) {
          errors->push_back({json::pointer_join(at, "min_severity"), "must be a number from 0 to 10"});
        } else {
          p.min_severity = d;
        }
      }
      if (const bj::value* s = mo.if_contains("min_importance")) {
        if (!s->is_int64() || s->get_int64() < 0 || s->get_int64() > 100) {
          errors->push_back({json::pointer_join(at, "min_importance"), "must be an integer from 0 to 100"});
        } else {
          p.min_importance = static_cast<int>(s->get_int64());
        }
      }
    }
  }
  if (errors->size() != before) return std::nullopt;
  return p;
}

}  // namespace

bool Policy::matches(const Detection& d, const Asset* asset, int importance) const {
  const std::string kind = d.kind == Detection::Kind::kAlert ? "alert" : "vulnerability";
  if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) return false;
  if (!object_types.empty() &&
      std::find(object_types.begin(), object_types.end(), d.object_type) == object_types.end()) {
    return false;
  }
  if (min_severity >= 0 && d.severity < min_severity) return false;
  if (min_importance >= 0 && importance < min_importance) return false;
  if (!asset_tags.empty()) {
    if (asset == nullptr) return false;
    const bool any = std::any_of(asset_tags.begin(), asset_tags.end(), [&](const std::string& t) {
      return std::find(asset->tags.begin(), asset->tags.end(), t) != asset->tags.end();
    });
    if (!any) return false;
  }
  if (!techniques.empty()) {
    const bool any = std::any_of(techniques.begin(), techniques.end(), [&](const std::string& t) {
      return std::any_of(d.techniques.begin(), d.techniques.end(), [&](const std::string& have) {
        return have == t || (have.size() > t.size() && have.compare(0, t.size(), t) == 0 &&
                             have[t.size()] == '.');
      });
    });
    if (!any) return false;
  }
  if (!signature_contains.empty()) {
    const bool any = std::any_of(signature_contains.begin(), signature_contains.end(),
                                 [&](const std::string& s) {
                                   return icontains(d.name, s) || icontains(d.signature, s);
                                 });
    if (!any) return false;
  }
  return true;
}

bj::object Policy::to_json() const {
  return bj::object{{"name", name}, {"response", to_array(response)}, {"priority", priority}};
}

Result<std::vector<Policy>> parse_policies(const bj::value& v, json::FieldErrors* errors) {
  const bj::array* list = v.if_array();
  std::string base;
  if (list == nullptr && v.is_object()) {
    if (const bj::value* a = v.get_object().if_contains("policies")) {
      list = a->if_array();
      base = "/policies";
    }
  }
  if (list == nullptr) {
    errors->push_back({"", "expected a JSON array of policies, or {\"policies\": [...]}"});
    return Status(Code::kInvalidArgument, "not a list of policies");
  }
  std::vector<Policy> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (auto p = parse_policy((*list)[i], json::pointer_join(base, i), errors)) out.push_back(std::move(*p));
  }
  if (!errors->empty()) {
    return Status(Code::kInvalidArgument, std::to_string(errors->size()) + " problems in the policies");
  }
  return out;
}

}  // namespace atio::enrich
