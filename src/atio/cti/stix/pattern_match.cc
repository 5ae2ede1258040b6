// Comparison expressions against one set of SCOs (semantics in pattern_match.h).
#include "atio/cti/stix/pattern_match.h"

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "atio/cti/stix/pattern_number.h"
#include "atio/cti/stix/pattern_regex.h"
#include "atio/cti/stix/pattern_text.h"

namespace atio::stix::pattern {

namespace {

using Ordering = std::optional<std::partial_ordering>;  // nullopt: types cannot be compared

// A value a path selected, with the property name that led to it (which
// says whether it is a reference or bytes).
struct Item {
  const bj::value* value;
  std::string_view key;
};

bool is_ref_key(std::string_view key) { return key.ends_with("_ref") || key.ends_with("_refs"); }

std::vector<Item> select(const ObjectPath& path, const bj::value& root, const bj::object& objects) {
  std::vector<Item> current{{&root, {}}}, next;
  for (const PathStep& step : path.steps) {
    next.clear();
    for (Item item : current) {
      switch (step.kind) {
        case PathStep::Kind::kKey: {
          // Stepping into a reference steps into the object it names.
          if (item.value->is_string() && is_ref_key(item.key)) {
            const bj::value* target = objects.if_contains(item.value->get_string());
            if (target == nullptr) continue;
            item.value = target;
          }
          const bj::object* o = item.value->if_object();
          if (o == nullptr) continue;
          if (const bj::value* child = o->if_contains(step.key)) next.push_back({child, step.key});
          break;
        }
        case PathStep::Kind::kIndex: {
          const bj::array* a = item.value->if_array();
          if (a == nullptr || step.index < 0 || static_cast<std::size_t>(step.index) >= a->size()) {
            continue;
          }
          next.push_back({&(*a)[static_cast<std::size_t>(step.index)], item.key});
          break;
        }
        case PathStep::Kind::kAnyIndex:
          if (const bj::array* a = item.value->if_array()) {
            for (const bj::value& e : *a) next.push_back({&e, item.key});
          }
          break;
      }
    }
    current.swap(next);
  }
  return current;
}

// A selected value ready for tests: JSON, or bytes for *_hex and *_bin
// properties (a value that does not decode stays a string).
struct Leaf {
  const bj::value* json;
  std::optional<std::string> bytes;
};

Leaf make_leaf(const Item& item) {
  Leaf leaf{item.value, std::nullopt};
  if (item.value->is_string()) {
    std::string_view s = item.value->get_string();
    if (item.key.ends_with("_hex")) leaf.bytes = hex_decode(s);
    if (item.key.ends_with("_bin")) leaf.bytes = base64_decode(s);
  }
  return leaf;
}

std::optional<Number> json_number(const bj::value& v) {
  if (v.is_int64()) return Number{true, v.get_int64(), 0};
  if (v.is_uint64()) {
    std::uint64_t u = v.get_uint64();
    if (u <= static_cast<std::uint64_t>(INT64_MAX)) return Number{true, static_cast<std::int64_t>(u), 0};
    return Number{false, 0, static_cast<double>(u)};
  }
  if (v.is_double()) return Number{false, 0, v.get_double()};
  return std::nullopt;
}

Number literal_number(const Literal& lit) {
  return lit.kind == Literal::Kind::kInt ? Number{true, lit.int_value, 0}
                                         : Number{false, 0, lit.float_value};
}

Ordering compare(const Leaf& leaf, const Literal& lit, const MatchOptions& options) {
  const bj::value& v = *leaf.json;
  switch (lit.kind) {
    case Literal::Kind::kString: {
      if (leaf.bytes) {
        std::optional<std::string> b = utf8_to_latin1(lit.text);
        if (!b) return std::nullopt;
        return std::partial_ordering(std::string_view(*leaf.bytes) <=> std::string_view(*b));
      }
      if (v.is_string()) return std::partial_ordering(std::string_view(v.get_string()) <=> lit.text);
      Number n;
      if (options.numeric_strings && json_number(v) && parse_number(lit.text, &n)) {
        return compare_numbers(*json_number(v), n);
      }
      return std::nullopt;
    }
    case Literal::Kind::kInt:
    case Literal::Kind::kFloat: {
      if (std::optional<Number> n = json_number(v)) return compare_numbers(*n, literal_number(lit));
      Number s;
      if (options.numeric_strings && v.is_string() && parse_number(v.get_string(), &s)) {
        return compare_numbers(s, literal_number(lit));
      }
      return std::nullopt;
    }
    case Literal::Kind::kBool:
      if (!v.is_bool()) return std::nullopt;
      return std::partial_ordering(v.get_bool() <=> lit.bool_value);
    case Literal::Kind::kTimestamp: {
      TimePoint t;
      if (!v.is_string() || !parse_time(v.get_string(), &t)) return std::nullopt;
      return std::partial_ordering(t <=> lit.time);
    }
    case Literal::Kind::kHex:
    case Literal::Kind::kBinary: {
      if (leaf.bytes) return std::partial_ordering(*leaf.bytes <=> lit.text);
      if (!v.is_string()) return std::nullopt;
      std::optional<std::string> b = utf8_to_latin1(v.get_string());
      if (!b) return std::nullopt;
      return std::partial_ordering(*b <=> lit.text);
    }
  }
  return std::nullopt;
}

// The test of one comparison on one selected value, NOT included.
Result<bool> test(const ComparisonExpr& e, const Leaf& leaf, const MatchOptions& options) {
  const bj::value& v = *leaf.json;
  const Literal& lit = e.operands.front();
  bool r = false;
  switch (e.op) {
    case CompareOp::kEq:
    case CompareOp::kNe: {
      Ordering c = compare(leaf, lit, options);
      bool equal = c && *c == 0;
      r = e.op == CompareOp::kEq ? equal : !equal;
      break;
    }
    case CompareOp::kLt:
    case CompareOp::kLe:
    case CompareOp::kGt:
    case CompareOp::kGe: {
      Ordering c = compare(leaf, lit, options);
      if (!c) return false;  // not comparable: false, negated too
      r = e.op == CompareOp::kLt ? *c < 0 : e.op == CompareOp::kLe ? *c <= 0
          : e.op == CompareOp::kGt ? *c > 0 : *c >= 0;
      break;
    }
    case CompareOp::kIn:
      for (const Literal& candidate : e.operands) {
        Ordering c = compare(leaf, candidate, options);
        if (c && *c == 0) {
          r = true;
          break;
        }
      }
      break;
    case CompareOp::kLike:
      if (leaf.bytes || !v.is_string()) return false;
      r = like_match(v.get_string(), lit.text);
      break;
    case CompareOp::kMatches: {
      if (!e.regex) {
        return Status(Code::kInvalidArgument, "MATCHES " + lit.source +
                                                  " is not a regular expression atio can run");
      }
      std::string_view text;
      if (leaf.bytes) {
        text = *leaf.bytes;
      } else if (v.is_string()) {
        text = v.get_string();
      } else {
        return false;
      }
      Result<bool> found = regex_search_bounded(*e.regex, text);
      if (!found) return Status(Code::kInvalidArgument, e.path.to_string() + ": " +
                                                            found.status().message());
      r = *found;
      break;
    }
    case CompareOp::kIsSubset:
    case CompareOp::kIsSuperset: {
      if (leaf.bytes || !v.is_string() || !lit.network) return false;
      std::optional<IpNetwork> n = parse_ip_network(v.get_string());
      if (!n) return false;
      r = e.op == CompareOp::kIsSubset ? ip_contains(*lit.network, *n)
                                       : ip_contains(*n, *lit.network);
      break;
    }
  }
  return e.negated ? !r : r;
}

// `e` for the SCO `root` of type `type`: comparisons on other types are false.
Result<bool> holds(const ComparisonExpr& e, std::string_view type, const bj::value& root,
                   const bj::object& objects, const MatchOptions& options) {
  switch (e.kind) {
    case ComparisonExpr::Kind::kAnd:
    case ComparisonExpr::Kind::kOr: {
      const bool is_and = e.kind == ComparisonExpr::Kind::kAnd;
      for (const ComparisonExpr& c : e.children) {
        ATIO_ASSIGN_OR_RETURN(bool v, holds(c, type, root, objects, options));
        if (v != is_and) return v;
      }
      return is_and;
    }
    case ComparisonExpr::Kind::kExists:
    case ComparisonExpr::Kind::kCompare: {
      if (e.path.object_type != type) return false;
      for (const Item& item : select(e.path, root, objects)) {
        if (item.value->is_null()) continue;  // null is "not there"
        if (e.kind == ComparisonExpr::Kind::kExists) return true;
        ATIO_ASSIGN_OR_RETURN(bool v, test(e, make_leaf(item), options));
        if (v) return true;
      }
      return false;
    }
  }
  return false;
}

}  // namespace

Result<bool> matches(const ComparisonExpr& e, const bj::object& objects,
                     const MatchOptions& options) {
  for (const auto& kv : objects) {
    const bj::object* sco = kv.value().if_object();
    if (sco == nullptr) continue;
    const bj::value* type = sco->if_contains("type");
    if (type == nullptr || !type->is_string()) continue;
    ATIO_ASSIGN_OR_RETURN(bool v, holds(e, type->get_string(), kv.value(), objects, options));
    if (v) return true;
  }
  return false;
}

}  // namespace atio::stix::pattern
