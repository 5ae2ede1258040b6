#include "atio/playbook/expr/parser.h"

#include <algorithm>

#include "atio/cti/stix/pattern_lexer.h"

namespace atio::expr::detail {

namespace {

using stix::pattern::ComparisonTail;
using stix::pattern::TokenKind;
using stix::pattern::TokenStream;

// Deep nesting is refused rather than allowed to exhaust the stack.
constexpr int kMaxDepth = 100;

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// A word __name__ with name = [a-zA-Z_][a-zA-Z0-9_-]*: a CACAO variable.
bool is_variable(const stix::pattern::Token& tok) {
  std::string_view w = tok.text;
  if (tok.kind != TokenKind::kWord) return false;
  if (w.size() < 5 || !w.starts_with("__") || !w.ends_with("__")) return false;
  std::string_view name = w.substr(2, w.size() - 4);
  if (!is_word_char(name[0]) || (name[0] >= '0' && name[0] <= '9') || name[0] == '-') return false;
  return std::all_of(name.begin(), name.end(), is_word_char);
}

class Parser {
 public:
  // CACAO conditions accept keywords in any case.
  explicit Parser(std::string_view text) : ts_(text, /*case_sensitive=*/false) {}

  Result<ParsedTree> run() {
    ATIO_RETURN_IF_ERROR(advance());
    if (tok().kind == TokenKind::kEnd) return expected("a condition");
    ATIO_ASSIGN_OR_RETURN(NodePtr root, parse_or());
    if (tok().kind != TokenKind::kEnd) return expected("AND, OR or end of input");
    return ParsedTree{std::move(root), std::move(variables_)};
  }

 private:
  const stix::pattern::Token& tok() const { return ts_.token(); }
  Status advance() { return ts_.advance(); }
  Status expected(std::string_view what) const { return ts_.expected(what); }
  bool is_keyword(std::string_view keyword) const { return ts_.at(keyword); }

  Result<NodePtr> parse_or() { return parse_chain(false); }

  // and (OR and)*  /  unary (AND unary)*
  Result<NodePtr> parse_chain(bool is_and) {
    std::vector<NodePtr> children;
    while (true) {
      Result<NodePtr> child = is_and ? parse_unary() : parse_chain(true);
      if (!child) return child.status();
      children.push_back(std::move(child).value());
      if (!is_keyword(is_and ? "AND" : "OR")) break;
      ATIO_RETURN_IF_ERROR(advance());
    }
    if (children.size() == 1) return std::move(children.front());
    return NodePtr(std::make_unique<BoolNode>(is_and, std::move(children)));
  }

  Result<NodePtr> parse_unary() {
    if (++depth_ > kMaxDepth) {
      return Status(Code::kInvalidArgument,
                    ts_.where(tok().offset) + "expression nested too deeply (limit " +
                        std::to_string(kMaxDepth) + ")");
    }
    Result<NodePtr> node = parse_unary_inner();
    --depth_;
    return node;
  }

  Result<NodePtr> parse_unary_inner() {
    if (is_keyword("NOT")) {
      ATIO_RETURN_IF_ERROR(advance());
      ATIO_ASSIGN_OR_RETURN(NodePtr child, parse_unary());
      return NodePtr(std::make_unique<NotNode>(std::move(child)));
    }
    if (tok().kind == TokenKind::kLParen || tok().kind == TokenKind::kLBracket) {
      bool square = tok().kind == TokenKind::kLBracket;
      ATIO_RETURN_IF_ERROR(advance());
      ATIO_ASSIGN_OR_RETURN(NodePtr child, parse_or());
      if (tok().kind != (square ? TokenKind::kRBracket : TokenKind::kRParen)) {
        return expected(square ? "']'" : "')'");
      }
      ATIO_RETURN_IF_ERROR(advance());
      return NodePtr(std::make_unique<GroupNode>(square, std::move(child)));
    }
    if (is_keyword("EXISTS")) {
      ATIO_RETURN_IF_ERROR(advance());
      ATIO_ASSIGN_OR_RETURN(ObjectPath path, parse_path());
      return NodePtr(std::make_unique<ExistsNode>(std::move(path)));
    }
    return parse_comparison();
  }

  Result<ObjectPath> parse_path() {
    if (!is_variable(tok())) return expected("a variable such as __name__:value");
    ObjectPath path;
    path.variable = std::string(tok().text);
    if (std::find(variables_.begin(), variables_.end(), path.variable) == variables_.end()) {
      variables_.push_back(path.variable);
    }
    ATIO_RETURN_IF_ERROR(advance());
    if (tok().kind != TokenKind::kColon) {
      path.bare = true;
      return path;
    }
    ATIO_RETURN_IF_ERROR(advance());
    if (tok().kind != TokenKind::kWord || tok().text != "value") return expected("'value'");
    ATIO_RETURN_IF_ERROR(advance());
    while (tok().kind == TokenKind::kDot || tok().kind == TokenKind::kLBracket) {
      bool dot = tok().kind == TokenKind::kDot;
      ATIO_RETURN_IF_ERROR(advance());
      PathStep step;
      if (tok().kind == TokenKind::kWord || tok().kind == TokenKind::kString) {
        step.key = tok().kind == TokenKind::kString ? tok().value : std::string(tok().text);
      } else if (tok().kind == TokenKind::kInt && tok().int_value >= 0) {
        step.is_index = true;
        step.index = static_cast<std::size_t>(tok().int_value);
      } else {
        return expected(dot ? "a key after '.'" : "an index or 'key' after '['");
      }
      ATIO_RETURN_IF_ERROR(advance());
      if (!dot) {
        if (tok().kind != TokenKind::kRBracket) return expected("']'");
        ATIO_RETURN_IF_ERROR(advance());
      }
      path.steps.push_back(std::move(step));
    }
    return path;
  }

  Result<NodePtr> parse_comparison() {
    if (!is_variable(tok())) {
      return expected("a comparison, NOT, EXISTS, '(' or '['");
    }
    ATIO_ASSIGN_OR_RETURN(ObjectPath path, parse_path());
    ATIO_ASSIGN_OR_RETURN(ComparisonTail tail, stix::pattern::parse_comparison_tail(ts_));
    // A condition is checked when its playbook is loaded: an operand the
    // operator cannot use is an error then, not a false at run time.
    ATIO_RETURN_IF_ERROR(tail.operand_problem);
    return NodePtr(std::make_unique<CompareNode>(std::move(path), tail.negated, tail.op,
                                                 std::move(tail.operands), std::move(tail.regex)));
  }

  TokenStream ts_;
  int depth_ = 0;
  std::vector<std::string> variables_;
};

}  // namespace

Result<ParsedTree> parse_tree(std::string_view text) { return Parser(text).run(); }

}  // namespace atio::expr::detail
