// Evaluation of comparisons and EXISTS: the subject (variable side) is read by
// its CACAO type, then each literal is converted to that type.
#include <charconv>
#include <compare>

#include "atio/core/ids.h"
#include "atio/core/text.h"
#include "atio/cti/stix/pattern_number.h"
#include "atio/cti/stix/pattern_regex.h"
#include "atio/cti/stix/pattern_text.h"
#include "atio/playbook/expr/ast.h"
#include "atio/playbook/expr/subject.h"

namespace atio::expr::detail {

namespace {

using stix::pattern::compare_numbers;
using stix::pattern::hex_decode;
using stix::pattern::Number;
using stix::pattern::parse_number;
using stix::pattern::quote;

Status cannot(const Subject& s, const Literal& lit, std::string_view why) {
  return Status(Code::kInvalidArgument,
                s.label + ": cannot compare with " + lit.source + ": " + std::string(why));
}

Status value_is_not(const Subject& s, std::string_view what, const Literal& lit) {
  std::string shown = quote(s.text);
  if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
  return Status(Code::kInvalidArgument, s.label + ": value " + shown + " is not " +
                                            std::string(what) + " (compared with " + lit.source + ")");
}

Status composite_error(const Subject& s) {
  return Status(Code::kInvalidArgument,
                s.label + ": the value is a " + s.text +
                    "; compare one of its members, e.g. __name__:value.key or __name__:value[0]");
}

Result<std::partial_ordering> compare_string(const Subject& s, const Literal& lit) {
  switch (lit.kind) {
    case Literal::Kind::kString:
      if (s.hex_like) return std::partial_ordering(ascii_lower(s.text) <=> ascii_lower(lit.text));
      return std::partial_ordering(s.text <=> lit.text);
    case Literal::Kind::kInt:
    case Literal::Kind::kFloat: {
      Number a, b;
      if (!parse_number(s.text, &a)) return value_is_not(s, "a number", lit);
      b.is_int = lit.kind == Literal::Kind::kInt;
      b.i = lit.int_value;
      b.d = lit.float_value;
      return compare_numbers(a, b);
    }
    case Literal::Kind::kBool: {
      std::string v = ascii_lower(s.text);
      if (v != "true" && v != "false") return value_is_not(s, "a boolean", lit);
      return std::partial_ordering((v == "true") <=> lit.bool_value);
    }
    case Literal::Kind::kTimestamp: {
      std::chrono::system_clock::time_point t;
      if (!parse_timestamp(s.text, &t)) return value_is_not(s, "an RFC 3339 timestamp", lit);
      return std::partial_ordering(t <=> lit.time);
    }
    case Literal::Kind::kHex:
    case Literal::Kind::kBinary: {
      if (!s.hex_like) return std::partial_ordering(s.text <=> lit.text);
      std::optional<std::string> bytes = hex_decode(s.text);
      if (!bytes) return value_is_not(s, "hex digits", lit);
      return std::partial_ordering(*bytes <=> lit.text);
    }
  }
  return cannot(s, lit, "unsupported literal");
}

// Orders the subject against one literal converted to the subject's type.
Result<std::partial_ordering> compare(const Subject& s, const Literal& lit) {
  switch (s.kind) {
    case Subject::Kind::kInt:
    case Subject::Kind::kFloat: {
      Number a{s.kind == Subject::Kind::kInt, s.int_value, s.float_value};
      Number b;
      if (lit.kind == Literal::Kind::kInt) {
        b.i = lit.int_value;
      } else if (lit.kind == Literal::Kind::kFloat) {
        b.is_int = false;
        b.d = lit.float_value;
      } else if (lit.kind != Literal::Kind::kString || !parse_number(lit.text, &b)) {
        return cannot(s, lit, "not a number");
      }
      return compare_numbers(a, b);
    }
    case Subject::Kind::kBool: {
      bool b = lit.bool_value;
      if (lit.kind == Literal::Kind::kString && (ascii_lower(lit.text) == "true" || ascii_lower(lit.text) == "false")) {
        b = ascii_lower(lit.text) == "true";
      } else if (lit.kind != Literal::Kind::kBool) {
        return cannot(s, lit, "not a boolean");
      }
      return std::partial_ordering(s.bool_value <=> b);
    }
    case Subject::Kind::kIp:
      if (lit.kind != Literal::Kind::kString || !lit.network) {
        return cannot(s, lit, "not an IP address or CIDR");
      }
      return stix::pattern::ip_compare(s.network, *lit.network);
    case Subject::Kind::kString: return compare_string(s, lit);
    case Subject::Kind::kComposite: return composite_error(s);
    case Subject::Kind::kNone: break;
  }
  return std::partial_ordering::unordered;
}

// The subject as text, for LIKE and MATCHES.
Result<std::string> subject_text(const Subject& s) {
  switch (s.kind) {
    case Subject::Kind::kInt: return std::to_string(s.int_value);
    case Subject::Kind::kFloat: {
      char buf[64];
      auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), s.float_value);
      return std::string(buf, p);
    }
    case Subject::Kind::kBool: return std::string(s.bool_value ? "true" : "false");
    case Subject::Kind::kIp:
    case Subject::Kind::kString: return s.text;
    case Subject::Kind::kComposite: return composite_error(s);
    case Subject::Kind::kNone: break;
  }
  return std::string();
}

Result<IpNetwork> subject_network(const Subject& s) {
  if (s.kind == Subject::Kind::kIp) return s.network;
  if (s.kind == Subject::Kind::kString) {
    if (std::optional<IpNetwork> n = stix::pattern::parse_ip_network(s.text)) return *n;
  }
  if (s.kind == Subject::Kind::kComposite) return composite_error(s);
  return Status(Code::kInvalidArgument, s.label + ": value is not an IP address or CIDR");
}

}  // namespace

Result<bool> CompareNode::evaluate(const VariableLookup& lookup) const {
  ATIO_ASSIGN_OR_RETURN(Subject subject, resolve_subject(path_, lookup));
  if (subject.kind == Subject::Kind::kNone) return false;  // no value: false, even negated
  ATIO_ASSIGN_OR_RETURN(bool v, evaluate_positive(subject));
  return negated_ ? !v : v;
}

Result<bool> CompareNode::evaluate_positive(const Subject& s) const {
  const Literal& lit = operands_.front();
  switch (op_) {
    case CompareOp::kEq:
    case CompareOp::kNe:
    case CompareOp::kLt:
    case CompareOp::kLe:
    case CompareOp::kGt:
    case CompareOp::kGe: {
      ATIO_ASSIGN_OR_RETURN(std::partial_ordering c, compare(s, lit));
      switch (op_) {
        case CompareOp::kEq: return c == 0;
        case CompareOp::kNe: return c != 0;  // unordered (NaN, other IP family) counts as !=
        case CompareOp::kLt: return c < 0;
        case CompareOp::kLe: return c <= 0;
        case CompareOp::kGt: return c > 0;
        default: return c >= 0;
      }
    }
    case CompareOp::kIn:
      for (const Literal& candidate : operands_) {
        ATIO_ASSIGN_OR_RETURN(std::partial_ordering c, compare(s, candidate));
        if (c == 0) return true;
      }
      return false;
    case CompareOp::kLike: {
      ATIO_ASSIGN_OR_RETURN(std::string text, subject_text(s));
      return stix::pattern::like_match(text, lit.text);
    }
    case CompareOp::kMatches: {
      ATIO_ASSIGN_OR_RETURN(std::string text, subject_text(s));
      Result<bool> found = stix::pattern::regex_search_bounded(*regex_, text);
      if (!found) return Status(Code::kInvalidArgument, s.label + ": " + found.status().message());
      return found;
    }
    case CompareOp::kIsSubset:
    case CompareOp::kIsSuperset: {
      ATIO_ASSIGN_OR_RETURN(IpNetwork n, subject_network(s));
      return op_ == CompareOp::kIsSubset ? stix::pattern::ip_contains(*lit.network, n)
                                         : stix::pattern::ip_contains(n, *lit.network);
    }
  }
  return false;
}

Result<bool> ExistsNode::evaluate(const VariableLookup& lookup) const {
  const cacao::Variable* var = lookup(path_.variable);
  if (var == nullptr) return Status(Code::kInvalidArgument, "unknown variable " + path_.variable);
  if (path_.steps.empty()) return has_value(*var);
  // A path into a value that does not fit is simply absent for EXISTS.
  Result<Subject> subject = resolve_subject(path_, lookup);
  return subject.is_ok() && subject->kind != Subject::Kind::kNone;
}

}  // namespace atio::expr::detail
