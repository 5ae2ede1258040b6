// Recursive-descent parser of STIX patterns (grammar in pattern.h).
#include "atio/cti/stix/pattern.h"

namespace atio::stix::pattern {

namespace {

// Deep nesting is refused rather than allowed to exhaust the stack.
constexpr int kMaxDepth = 100;

class Parser {
 public:
  explicit Parser(std::string_view text) : ts_(text, /*case_sensitive=*/true) {}

  Result<Pattern> run() {
    ATIO_RETURN_IF_ERROR(ts_.advance());
    if (kind() == TokenKind::kEnd) return ts_.expected("a pattern such as [type:property = 'value']");
    Pattern p;
    ATIO_ASSIGN_OR_RETURN(p.root, parse_followed_by());
    if (kind() != TokenKind::kEnd) {
      return ts_.expected("AND, OR, FOLLOWEDBY, a qualifier or end of input");
    }
    return p;
  }

 private:
  TokenKind kind() const { return ts_.token().kind; }
  // The grammar's qualifier values are IntPosLiteral / FloatPosLiteral.
  bool negative() const { return ts_.token().text.starts_with("-"); }

  Status enter() {
    if (++depth_ > kMaxDepth) {
      return Status(Code::kInvalidArgument, ts_.where(ts_.token().offset) +
                                                "pattern nested too deeply (limit " +
                                                std::to_string(kMaxDepth) + ")");
    }
    return Status::ok();
  }

  // One level of the observation operators: FOLLOWEDBY < OR < AND.
  Result<ObservationExpr> parse_observation_level(int level) {
    static constexpr const char* kKeywords[] = {"FOLLOWEDBY", "OR", "AND"};
    static constexpr ObservationExpr::Kind kKinds[] = {
        ObservationExpr::Kind::kFollowedBy, ObservationExpr::Kind::kOr,
        ObservationExpr::Kind::kAnd};
    std::vector<ObservationExpr> children;
    std::size_t offset = ts_.token().offset;
    while (true) {
      Result<ObservationExpr> child =
          level == 2 ? parse_qualified() : parse_observation_level(level + 1);
      if (!child) return child.status();
      children.push_back(std::move(child).value());
      if (!ts_.at(kKeywords[level])) break;
      ATIO_RETURN_IF_ERROR(ts_.advance());
    }
    if (children.size() == 1) return std::move(children.front());
    ObservationExpr e;
    e.kind = kKinds[level];
    e.children = std::move(children);
    e.offset = offset;
    return e;
  }

  Result<ObservationExpr> parse_followed_by() { return parse_observation_level(0); }

  Result<ObservationExpr> parse_qualified() {
    std::size_t offset = ts_.token().offset;
    ATIO_ASSIGN_OR_RETURN(ObservationExpr e, parse_observation_primary());
    while (true) {
      ObservationExpr q;
      q.offset = offset;
      if (ts_.at("WITHIN")) {
        ATIO_RETURN_IF_ERROR(ts_.advance());
        if ((kind() != TokenKind::kInt && kind() != TokenKind::kFloat) || negative()) {
          return ts_.expected("a positive number of seconds after WITHIN");
        }
        q.kind = ObservationExpr::Kind::kWithin;
        ATIO_ASSIGN_OR_RETURN(q.within, parse_literal(ts_, "a number"));
        if (!ts_.at("SECONDS")) return ts_.expected("SECONDS");
      } else if (ts_.at("REPEATS")) {
        ATIO_RETURN_IF_ERROR(ts_.advance());
        if (kind() != TokenKind::kInt || negative()) {
          return ts_.expected("a positive integer after REPEATS");
        }
        q.kind = ObservationExpr::Kind::kRepeats;
        q.repeats = ts_.token().int_value;
        ATIO_RETURN_IF_ERROR(ts_.advance());
        if (!ts_.at("TIMES")) return ts_.expected("TIMES");
      } else if (ts_.at("START")) {
        ATIO_RETURN_IF_ERROR(ts_.advance());
        if (kind() != TokenKind::kTimestamp) {
          return ts_.expected("a timestamp such as t'2016-06-01T00:00:00Z' after START");
        }
        q.kind = ObservationExpr::Kind::kStartStop;
        ATIO_ASSIGN_OR_RETURN(q.start, parse_literal(ts_, "a timestamp"));
        if (!ts_.at("STOP")) return ts_.expected("STOP");
        ATIO_RETURN_IF_ERROR(ts_.advance());
        if (kind() != TokenKind::kTimestamp) {
          return ts_.expected("a timestamp such as t'2016-07-01T00:00:00Z' after STOP");
        }
        ATIO_ASSIGN_OR_RETURN(q.stop, parse_literal(ts_, "a timestamp"));
        q.children.push_back(std::move(e));
        e = std::move(q);
        continue;
      } else {
        return e;
      }
      ATIO_RETURN_IF_ERROR(ts_.advance());  // SECONDS / TIMES
      q.children.push_back(std::move(e));
      e = std::move(q);
    }
  }

  Result<ObservationExpr> parse_observation_primary() {
    ATIO_RETURN_IF_ERROR(enter());
    Result<ObservationExpr> e = parse_observation_primary_inner();
    --depth_;
    return e;
  }

  Result<ObservationExpr> parse_observation_primary_inner() {
    ObservationExpr e;
    e.offset = ts_.token().offset;
    if (kind() == TokenKind::kLBracket) {
      ATIO_RETURN_IF_ERROR(ts_.advance());
      ATIO_ASSIGN_OR_RETURN(e.comparison, parse_comparison_level(false));
      if (kind() != TokenKind::kRBracket) return ts_.expected("AND, OR or ']'");
      ATIO_RETURN_IF_ERROR(ts_.advance());
      return e;
    }
    if (kind() == TokenKind::kLParen) {
      ATIO_RETURN_IF_ERROR(ts_.advance());
      ATIO_ASSIGN_OR_RETURN(e, parse_followed_by());
      if (kind() != TokenKind::kRParen) {
        return ts_.expected("AND, OR, FOLLOWEDBY, a qualifier or ')'");
      }
      ATIO_RETURN_IF_ERROR(ts_.advance());
      e.parenthesized = true;
      return e;
    }
    return ts_.expected("'[' or '(' starting an observation expression");
  }

  // cmp_or (is_and false) or cmp_and (is_and true).
  Result<ComparisonExpr> parse_comparison_level(bool is_and) {
    std::vector<ComparisonExpr> children;
    while (true) {
      Result<ComparisonExpr> child = is_and ? parse_comparison_unary()
                                            : parse_comparison_level(true);
      if (!child) return child.status();
      children.push_back(std::move(child).value());
      if (!ts_.at(is_and ? "AND" : "OR")) break;
      ATIO_RETURN_IF_ERROR(ts_.advance());
    }
    if (children.size() == 1) return std::move(children.front());
    ComparisonExpr e;
    e.kind = is_and ? ComparisonExpr::Kind::kAnd : ComparisonExpr::Kind::kOr;
    e.children = std::move(children);
    return e;
  }

  Result<ComparisonExpr> parse_comparison_unary() {
    ATIO_RETURN_IF_ERROR(enter());
    Result<ComparisonExpr> e = parse_comparison_unary_inner();
    --depth_;
    return e;
  }

  Result<ComparisonExpr> parse_comparison_unary_inner() {
    ComparisonExpr e;
    if (kind() == TokenKind::kLParen) {
      ATIO_RETURN_IF_ERROR(ts_.advance());
      ATIO_ASSIGN_OR_RETURN(e, parse_comparison_level(false));
      if (kind() != TokenKind::kRParen) return ts_.expected("AND, OR or ')'");
      ATIO_RETURN_IF_ERROR(ts_.advance());
      e.parenthesized = true;
      return e;
    }
    if (ts_.at("EXISTS")) {
      ATIO_RETURN_IF_ERROR(ts_.advance());
      e.kind = ComparisonExpr::Kind::kExists;
      ATIO_ASSIGN_OR_RETURN(e.path, parse_path());
      return e;
    }
    if (kind() != TokenKind::kWord) {
      return ts_.expected("an object path such as file:name, EXISTS or '('");
    }
    ATIO_ASSIGN_OR_RETURN(e.path, parse_path());
    ATIO_ASSIGN_OR_RETURN(ComparisonTail tail, parse_comparison_tail(ts_));
    e.negated = tail.negated;
    e.op = tail.op;
    e.operands = std::move(tail.operands);
    e.regex = std::move(tail.regex);
    return e;
  }

  Result<ObjectPath> parse_path() {
    ObjectPath path;
    path.offset = ts_.token().offset;
    if (kind() != TokenKind::kWord) return ts_.expected("an object type such as file");
    path.object_type = std::string(ts_.token().text);
    ATIO_RETURN_IF_ERROR(ts_.advance());
    if (kind() != TokenKind::kColon) return ts_.expected("':' after the object type");
    ATIO_RETURN_IF_ERROR(ts_.advance());
    ATIO_ASSIGN_OR_RETURN(PathStep first, parse_key("a property name after ':'"));
    path.steps.push_back(std::move(first));
    while (kind() == TokenKind::kDot || kind() == TokenKind::kLBracket) {
      if (kind() == TokenKind::kDot) {
        ATIO_RETURN_IF_ERROR(ts_.advance());
        ATIO_ASSIGN_OR_RETURN(PathStep step, parse_key("a property name after '.'"));
        path.steps.push_back(std::move(step));
        continue;
      }
      ATIO_RETURN_IF_ERROR(ts_.advance());
      PathStep step;
      if (kind() == TokenKind::kStar) {
        step.kind = PathStep::Kind::kAnyIndex;
      } else if (kind() == TokenKind::kInt) {
        step.kind = PathStep::Kind::kIndex;
        step.index = ts_.token().int_value;
      } else {
        return ts_.expected("a list index or '*' after '['");
      }
      ATIO_RETURN_IF_ERROR(ts_.advance());
      if (kind() != TokenKind::kRBracket) return ts_.expected("']'");
      ATIO_RETURN_IF_ERROR(ts_.advance());
      path.steps.push_back(std::move(step));
    }
    return path;
  }

  // identifier or 'quoted' key (quoted keys hold '-', '.', spaces...).
  Result<PathStep> parse_key(std::string_view what) {
    PathStep step;
    if (kind() == TokenKind::kWord) {
      step.key = std::string(ts_.token().text);
    } else if (kind() == TokenKind::kString) {
      step.key = ts_.token().value;
    } else {
      return ts_.expected(what);
    }
    ATIO_RETURN_IF_ERROR(ts_.advance());
    return step;
  }

  TokenStream ts_;
  int depth_ = 0;
};

}  // namespace

Result<Pattern> parse(std::string_view text) { return Parser(text).run(); }

}  // namespace atio::stix::pattern
