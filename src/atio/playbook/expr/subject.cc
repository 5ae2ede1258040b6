#include "atio/playbook/expr/subject.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <cmath>
#include <limits>

#include "atio/core/typed_value.h"
#include "atio/cti/stix/pattern_text.h"

namespace atio::expr::detail {

namespace {

namespace bj = boost::json;
using stix::pattern::parse_ip_network;
using stix::pattern::quote;

Status misfit(const Subject& s, const bj::value& v, std::string_view what) {
  std::string shown = v.is_string() ? quote(v.get_string()) : bj::serialize(v);
  if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
  return Status(Code::kInvalidArgument,
                s.label + ": value " + shown + " is not " + std::string(what));
}

// A value read by its JSON kind alone (dictionary members, untyped values).
void from_json_kind(const bj::value& v, Subject* s) {
  switch (v.kind()) {
    case bj::kind::null: s->kind = Subject::Kind::kNone; break;
    case bj::kind::bool_: s->kind = Subject::Kind::kBool; s->bool_value = v.get_bool(); break;
    case bj::kind::int64: s->kind = Subject::Kind::kInt; s->int_value = v.get_int64(); break;
    case bj::kind::uint64:
      if (v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        s->kind = Subject::Kind::kInt;
        s->int_value = static_cast<std::int64_t>(v.get_uint64());
      } else {
        s->kind = Subject::Kind::kFloat;
        s->float_value = static_cast<double>(v.get_uint64());
      }
      break;
    case bj::kind::double_: s->kind = Subject::Kind::kFloat; s->float_value = v.get_double(); break;
    case bj::kind::string: s->kind = Subject::Kind::kString; s->text = v.get_string(); break;
    case bj::kind::object: s->kind = Subject::Kind::kComposite; s->text = "dictionary"; break;
    case bj::kind::array: s->kind = Subject::Kind::kComposite; s->text = "array"; break;
  }
}

bool is_hex_like(std::string_view type) {
  return type == "hexstring" || type == "hash" || type.ends_with("-hash");
}

// Reads a whole variable value according to its declared type.
Status from_typed(const std::string& type, const bj::value& v, Subject* s) {
  if (v.is_null()) {
    s->kind = Subject::Kind::kNone;
    return Status::ok();
  }
  if (type == "integer" || type == "long" || type == "float" || type == "bool" ||
      type == "dictionary") {
    auto typed = typed_json_value(type, v);
    if (!typed.is_ok() || typed->is_null()) {
      return misfit(*s, v, type == "float"  ? "a number"
                           : type == "bool" ? "a boolean"
                           : type == "dictionary" ? "a dictionary"
                                                  : "an integer");
    }
    from_json_kind(*typed, s);
    if (type == "float" && s->kind == Subject::Kind::kInt) {
      s->kind = Subject::Kind::kFloat;
      s->float_value = static_cast<double>(s->int_value);
    }
  } else if (type == "ipv4-addr" || type == "ipv6-addr") {
    int family = type == "ipv4-addr" ? 4 : 6;
    std::optional<IpNetwork> n;
    if (v.is_string()) n = parse_ip_network(v.get_string());
    if (!n || n->family != family) {
      return misfit(*s, v, family == 4 ? "an IPv4 address or CIDR" : "an IPv6 address or CIDR");
    }
    s->kind = Subject::Kind::kIp;
    s->text = v.get_string();
    s->network = *n;
  } else {
    from_json_kind(v, s);
    s->hex_like = is_hex_like(type);
  }
  return Status::ok();
}

}  // namespace

bool has_value(const cacao::Variable& var) {
  if (!var.value || var.value->is_null()) return false;
  if (var.value->is_string() && var.value->get_string().empty()) {
    const std::string& t = var.type;
    return !(t == "integer" || t == "long" || t == "float" || t == "bool" || t == "ipv4-addr" ||
             t == "ipv6-addr" || t == "dictionary");
  }
  return true;
}

Result<Subject> resolve_subject(const ObjectPath& path, const VariableLookup& lookup) {
  const cacao::Variable* var = lookup(path.variable);
  if (var == nullptr) return Status(Code::kInvalidArgument, "unknown variable " + path.variable);
  Subject s;
  s.label = "variable " + (path.steps.empty() ? path.variable : path.to_string()) + " (" +
            var->type + ")";
  if (!has_value(*var)) return s;
  if (path.steps.empty()) {
    ATIO_RETURN_IF_ERROR(from_typed(var->type, *var->value, &s));
    return s;
  }
  // Reach into a dictionary (or array) value, parsing it first when stored as text.
  const bj::value* node = &*var->value;
  bj::value parsed;
  if (node->is_string() && var->type == "dictionary") {
    bj::error_code ec;
    parsed = bj::parse(node->get_string(), ec);
    if (ec) return misfit(s, *node, "a dictionary");
    node = &parsed;
  }
  if (!node->is_structured()) {
    return Status(Code::kInvalidArgument,
                  s.label + ": " + path.variable + " is not a dictionary, so " +
                      path.to_string() + " cannot be reached");
  }
  for (const PathStep& step : path.steps) {
    const bj::value* next = nullptr;
    if (step.is_index && node->is_array() && step.index < node->get_array().size()) {
      next = &node->get_array()[step.index];
    } else if (!step.is_index && node->is_object()) {
      next = node->get_object().if_contains(step.key);
    }
    if (next == nullptr) return s;  // nothing there: no value
    node = next;
  }
  from_json_kind(*node, &s);
  return s;
}

}  // namespace atio::expr::detail
