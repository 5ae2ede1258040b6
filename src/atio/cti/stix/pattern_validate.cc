#include "atio/cti/stix/pattern_validate.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "atio/cti/stix/pattern_regex.h"
#include "atio/cti/stix/pattern_text.h"

namespace atio::stix {

namespace {

using pattern::ComparisonExpr;
using pattern::CompareOp;
using pattern::Literal;
using pattern::ObservationExpr;

const char* kind_name(Literal::Kind k) {
  switch (k) {
    case Literal::Kind::kString: return "string";
    case Literal::Kind::kInt: return "integer";
    case Literal::Kind::kFloat: return "float";
    case Literal::Kind::kBool: return "boolean";
    case Literal::Kind::kTimestamp: return "timestamp";
    case Literal::Kind::kHex: return "hex";
    case Literal::Kind::kBinary: return "binary";
  }
  return "?";
}

class Validator {
 public:
  explicit Validator(std::string_view text) : lexer_(text) {}

  std::vector<PatternProblem> run(const pattern::Pattern& p) {
    observation(p.root);
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const PatternProblem& a, const PatternProblem& b) {
                       return a.position < b.position;
                     });
    return std::move(problems_);
  }

 private:
  void add(std::size_t offset, std::string message) {
    problems_.push_back({lexer_.position(offset), std::move(message)});
  }

  void timestamp(const Literal& lit) {
    if (lit.kind == Literal::Kind::kTimestamp && !is_stix_timestamp(lit.text)) {
      add(lit.offset, "timestamp " + lit.source +
                          " is not a STIX timestamp (UTC with 'Z', e.g. t'2016-01-01T00:00:00Z')");
    }
  }

  void observation(const ObservationExpr& e) {
    switch (e.kind) {
      case ObservationExpr::Kind::kSimple:
        comparison(e.comparison);
        same_type(e.comparison);
        return;
      case ObservationExpr::Kind::kWithin: {
        bool positive = e.within.kind == Literal::Kind::kInt ? e.within.int_value > 0
                                                             : e.within.float_value > 0;
        if (!positive) add(e.within.offset, "WITHIN must be more than 0 seconds");
        break;
      }
      case ObservationExpr::Kind::kRepeats:
        if (e.repeats <= 0) add(e.offset, "REPEATS must be at least 1 time");
        break;
      case ObservationExpr::Kind::kStartStop:
        timestamp(e.start);
        timestamp(e.stop);
        if (!(e.start.time < e.stop.time)) {
          add(e.start.offset, "START " + e.start.source + " must be before STOP " + e.stop.source);
        }
        break;
      default: break;
    }
    bool qualifier = e.kind == ObservationExpr::Kind::kWithin ||
                     e.kind == ObservationExpr::Kind::kRepeats ||
                     e.kind == ObservationExpr::Kind::kStartStop;
    if (qualifier && e.children.front().kind == e.kind && !e.children.front().parenthesized) {
      const char* name = e.kind == ObservationExpr::Kind::kWithin    ? "WITHIN"
                         : e.kind == ObservationExpr::Kind::kRepeats ? "REPEATS"
                                                                     : "START/STOP";
      add(e.offset, std::string("the ") + name +
                        " qualifier is applied twice to one expression (use parentheses to nest)");
    }
    for (const ObservationExpr& c : e.children) observation(c);
  }

  void comparison(const ComparisonExpr& e) {
    if (e.kind == ComparisonExpr::Kind::kAnd || e.kind == ComparisonExpr::Kind::kOr) {
      for (const ComparisonExpr& c : e.children) comparison(c);
      return;
    }
    if (!is_valid_type_name(e.path.object_type)) {
      add(e.path.offset, "'" + e.path.object_type +
                             "' is not a STIX type name (a-z, 0-9 and '-', starting with a "
                             "letter, 3 to 250 characters, no '--')");
    }
    if (e.kind == ComparisonExpr::Kind::kExists) return;
    for (const Literal& lit : e.operands) {
      timestamp(lit);
      if (lit.loose_escape) {
        add(lit.offset, "string " + lit.source +
                            " has a backslash that escapes nothing; write \\\\ for a backslash "
                            "(only \\' and \\\\ are escapes)");
      }
    }
    const Literal& first = e.operands.front();
    switch (e.op) {
      case CompareOp::kMatches:
        if (!e.regex) {
          Result<std::shared_ptr<const std::regex>> re = pattern::compile_regex(first.text);
          add(first.offset, "MATCHES " + first.source + " is not a regular expression atio can "
                                "run (ECMAScript syntax): " +
                                (re ? std::string("unknown error") : re.status().message()));
        }
        break;
      case CompareOp::kIsSubset:
      case CompareOp::kIsSuperset:
        if (!first.network) {
          add(first.offset, std::string(compare_op_name(e.op)) + " needs an IPv4/IPv6 address or "
                                "CIDR string such as '10.0.0.0/8', found " + first.source);
        }
        break;
      case CompareOp::kIn:
        for (const Literal& lit : e.operands) {
          if (lit.kind != first.kind) {
            add(lit.offset, std::string("the IN list mixes ") + kind_name(first.kind) + " and " +
                                kind_name(lit.kind) + " literals");
            break;
          }
        }
        break;
      default: break;
    }
  }

  static void collect_types(const ComparisonExpr& e, std::set<std::string>* out) {
    if (e.kind == ComparisonExpr::Kind::kAnd || e.kind == ComparisonExpr::Kind::kOr) {
      for (const ComparisonExpr& c : e.children) collect_types(c, out);
    } else {
      out->insert(e.path.object_type);
    }
  }

  static std::size_t first_offset(const ComparisonExpr& e) {
    if (e.kind == ComparisonExpr::Kind::kAnd || e.kind == ComparisonExpr::Kind::kOr) {
      return first_offset(e.children.front());
    }
    return e.path.offset;
  }

  // The outermost AND that mixes types is reported once.
  void same_type(const ComparisonExpr& e) {
    if (e.kind == ComparisonExpr::Kind::kAnd) {
      std::set<std::string> types;
      collect_types(e, &types);
      if (types.size() > 1) {
        std::string names;
        for (const std::string& t : types) names += (names.empty() ? "'" : ", '") + t + "'";
        add(first_offset(e), "comparison expressions joined by AND must use one SCO type, found " +
                                 names);
        return;
      }
    }
    for (const ComparisonExpr& c : e.children) same_type(c);
  }

  pattern::Lexer lexer_;
  std::vector<PatternProblem> problems_;
};

}  // namespace

std::string PatternProblem::to_string() const {
  return "position " + std::to_string(position) + ": " + message;
}

bool is_valid_type_name(std::string_view type) {
  if (type.size() < 3 || type.size() > 250) return false;
  if (!(type[0] >= 'a' && type[0] <= 'z')) return false;
  for (std::size_t i = 0; i < type.size(); ++i) {
    char c = type[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && i > 0 && type[i - 1] == '-')) return false;
  }
  return true;
}

std::vector<PatternProblem> pattern_problems(const pattern::Pattern& p, std::string_view text) {
  return Validator(text).run(p);
}

std::vector<PatternProblem> pattern_problems(std::string_view text) {
  Result<pattern::Pattern> p = pattern::parse(text);
  if (p) return pattern_problems(*p, text);
  // Syntax errors read "position N: ..."; split them back into the parts.
  const std::string& msg = p.status().message();
  PatternProblem problem{0, msg};
  constexpr std::string_view kPrefix = "position ";
  if (msg.starts_with(kPrefix)) {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(msg.data() + kPrefix.size(), msg.data() + msg.size(), n);
    std::string_view rest(end, static_cast<std::size_t>(msg.data() + msg.size() - end));
    if (ec == std::errc() && rest.starts_with(": ")) {
      problem = {n, std::string(end + 2)};
    }
  }
  return {problem};
}

Status check_pattern(std::string_view pattern) {
  std::vector<PatternProblem> problems = pattern_problems(pattern);
  if (problems.empty()) return Status::ok();
  std::string msg;
  for (const PatternProblem& p : problems) {
    if (!msg.empty()) msg += "; ";
    msg += p.to_string();
  }
  return Status(Code::kInvalidArgument, msg);
}

}  // namespace atio::stix
