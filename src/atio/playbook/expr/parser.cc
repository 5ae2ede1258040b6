#include "atio/playbook/expr/parser.h"

#include <algorithm>

#include "atio/playbook/expr/lexer.h"
#include "atio/playbook/expr/text.h"

namespace atio::expr::detail {

namespace {

// Deep nesting is refused rather than allowed to exhaust the stack.
constexpr int kMaxDepth = 100;

class Parser {
 public:
  explicit Parser(std::string_view text) : lexer_(text) {}

  Result<ParsedTree> run() {
    ATIO_RETURN_IF_ERROR(advance());
    if (tok_.kind == TokenKind::kEnd) return expected("a condition");
    ATIO_ASSIGN_OR_RETURN(NodePtr root, parse_or());
    if (tok_.kind != TokenKind::kEnd) return expected("AND, OR or end of input");
    return ParsedTree{std::move(root), std::move(variables_)};
  }

 private:
  Status advance() {
    ATIO_ASSIGN_OR_RETURN(tok_, lexer_.next());
    return Status::ok();
  }

  Status expected(std::string_view what) const {
    return Status(Code::kInvalidArgument, lexer_.where(tok_.offset) + "expected " +
                                              std::string(what) + ", found " + describe(tok_));
  }

  Result<NodePtr> parse_or() { return parse_chain(false); }

  // and (OR and)*  /  unary (AND unary)*
  Result<NodePtr> parse_chain(bool is_and) {
    std::vector<NodePtr> children;
    while (true) {
      Result<NodePtr> child = is_and ? parse_unary() : parse_chain(true);
      if (!child) return child.status();
      children.push_back(std::move(child).value());
      if (!is_keyword(tok_, is_and ? "AND" : "OR")) break;
      ATIO_RETURN_IF_ERROR(advance());
    }
    if (children.size() == 1) return std::move(children.front());
    return NodePtr(std::make_unique<BoolNode>(is_and, std::move(children)));
  }

  Result<NodePtr> parse_unary() {
    if (++depth_ > kMaxDepth) {
      return Status(Code::kInvalidArgument,
                    lexer_.where(tok_.offset) + "expression nested too deeply (limit " +
                        std::to_string(kMaxDepth) + ")");
    }
    Result<NodePtr> node = parse_unary_inner();
    --depth_;
    return node;
  }

  Result<NodePtr> parse_unary_inner() {
    if (is_keyword(tok_, "NOT")) {
      ATIO_RETURN_IF_ERROR(advance());
      ATIO_ASSIGN_OR_RETURN(NodePtr child, parse_unary());
      return NodePtr(std::make_unique<NotNode>(std::move(child)));
    }
    if (tok_.kind == TokenKind::kLParen || tok_.kind == TokenKind::kLBracket) {
      bool square = tok_.kind == TokenKind::kLBracket;
      ATIO_RETURN_IF_ERROR(advance());
      ATIO_ASSIGN_OR_RETURN(NodePtr child, parse_or());
      if (tok_.kind != (square ? TokenKind::kRBracket : TokenKind::kRParen)) {
        return expected(square ? "']'" : "')'");
      }
      ATIO_RETURN_IF_ERROR(advance());
      return NodePtr(std::make_unique<GroupNode>(square, std::move(child)));
    }
    if (is_keyword(tok_, "EXISTS")) {
      ATIO_RETURN_IF_ERROR(advance());
      ATIO_ASSIGN_OR_RETURN(ObjectPath path, parse_path());
      return NodePtr(std::make_unique<ExistsNode>(std::move(path)));
    }
    return parse_comparison();
  }

  Result<ObjectPath> parse_path() {
    if (tok_.kind != TokenKind::kVariable) return expected("a variable such as __name__:value");
    ObjectPath path;
    path.variable = std::string(tok_.text);
    if (std::find(variables_.begin(), variables_.end(), path.variable) == variables_.end()) {
      variables_.push_back(path.variable);
    }
    ATIO_RETURN_IF_ERROR(advance());
    if (tok_.kind != TokenKind::kColon) {
      path.bare = true;
      return path;
    }
    ATIO_RETURN_IF_ERROR(advance());
    if (tok_.kind != TokenKind::kWord || tok_.text != "value") return expected("'value'");
    ATIO_RETURN_IF_ERROR(advance());
    while (tok_.kind == TokenKind::kDot || tok_.kind == TokenKind::kLBracket) {
      bool dot = tok_.kind == TokenKind::kDot;
      ATIO_RETURN_IF_ERROR(advance());
      PathStep step;
      if (tok_.kind == TokenKind::kWord || tok_.kind == TokenKind::kVariable ||
          (dot && tok_.kind == TokenKind::kString)) {
        step.key = tok_.kind == TokenKind::kString ? tok_.value : std::string(tok_.text);
      } else if (!dot && tok_.kind == TokenKind::kString) {
        step.key = tok_.value;
      } else if (tok_.kind == TokenKind::kInt && tok_.int_value >= 0) {
        step.is_index = true;
        step.index = static_cast<std::size_t>(tok_.int_value);
      } else {
        return expected(dot ? "a key after '.'" : "an index or 'key' after '['");
      }
      ATIO_RETURN_IF_ERROR(advance());
      if (!dot) {
        if (tok_.kind != TokenKind::kRBracket) return expected("']'");
        ATIO_RETURN_IF_ERROR(advance());
      }
      path.steps.push_back(std::move(step));
    }
    return path;
  }

  Result<NodePtr> parse_comparison() {
    if (tok_.kind != TokenKind::kVariable) {
      return expected("a comparison, NOT, EXISTS, '(' or '['");
    }
    ATIO_ASSIGN_OR_RETURN(ObjectPath path, parse_path());
    bool negated = false;
    if (is_keyword(tok_, "NOT")) {
      negated = true;
      ATIO_RETURN_IF_ERROR(advance());
    }
    std::optional<CompareOp> op = comparison_op();
    if (!op) return expected("a comparison operator");
    ATIO_RETURN_IF_ERROR(advance());
    std::vector<Literal> operands;
    std::shared_ptr<const std::regex> regex;
    switch (*op) {
      case CompareOp::kEq:
      case CompareOp::kNe: {
        ATIO_ASSIGN_OR_RETURN(Literal lit, parse_literal("a literal"));
        operands.push_back(std::move(lit));
        break;
      }
      case CompareOp::kLt:
      case CompareOp::kLe:
      case CompareOp::kGt:
      case CompareOp::kGe: {
        if (is_keyword(tok_, "true") || is_keyword(tok_, "false")) {
          return expected("an orderable literal (number, string, timestamp, hex or binary)");
        }
        ATIO_ASSIGN_OR_RETURN(Literal lit, parse_literal("a literal"));
        operands.push_back(std::move(lit));
        break;
      }
      case CompareOp::kIn: {
        if (tok_.kind != TokenKind::kLParen) return expected("'(' after IN");
        ATIO_RETURN_IF_ERROR(advance());
        while (true) {
          ATIO_ASSIGN_OR_RETURN(Literal lit, parse_literal("a literal"));
          operands.push_back(std::move(lit));
          if (tok_.kind == TokenKind::kRParen) break;
          if (tok_.kind != TokenKind::kComma) return expected("',' or ')'");
          ATIO_RETURN_IF_ERROR(advance());
        }
        ATIO_RETURN_IF_ERROR(advance());
        break;
      }
      case CompareOp::kLike:
      case CompareOp::kMatches:
      case CompareOp::kIsSubset:
      case CompareOp::kIsSuperset: {
        if (tok_.kind != TokenKind::kString) return expected("a 'string' literal");
        Token lit_tok = tok_;
        ATIO_ASSIGN_OR_RETURN(Literal lit, parse_literal("a 'string' literal"));
        if (*op == CompareOp::kMatches) {
          try {
            regex = std::make_shared<const std::regex>(lit.text, std::regex::ECMAScript);
          } catch (const std::regex_error& e) {
            return Status(Code::kInvalidArgument, lexer_.where(lit_tok.offset) +
                                                      "expected a valid regular expression, found " +
                                                      describe(lit_tok) + " (" + e.what() + ")");
          }
        } else if ((*op == CompareOp::kIsSubset || *op == CompareOp::kIsSuperset) &&
                   !lit.network) {
          return Status(Code::kInvalidArgument,
                        lexer_.where(lit_tok.offset) +
                            "expected an IP address or CIDR such as '10.0.0.0/8', found " +
                            describe(lit_tok));
        }
        operands.push_back(std::move(lit));
        break;
      }
    }
    return NodePtr(std::make_unique<CompareNode>(std::move(path), negated, *op,
                                                 std::move(operands), std::move(regex)));
  }

  std::optional<CompareOp> comparison_op() const {
    switch (tok_.kind) {
      case TokenKind::kEq: return CompareOp::kEq;
      case TokenKind::kNe: return CompareOp::kNe;
      case TokenKind::kLt: return CompareOp::kLt;
      case TokenKind::kLe: return CompareOp::kLe;
      case TokenKind::kGt: return CompareOp::kGt;
      case TokenKind::kGe: return CompareOp::kGe;
      default: break;
    }
    if (is_keyword(tok_, "IN")) return CompareOp::kIn;
    if (is_keyword(tok_, "LIKE")) return CompareOp::kLike;
    if (is_keyword(tok_, "MATCHES")) return CompareOp::kMatches;
    if (is_keyword(tok_, "ISSUBSET")) return CompareOp::kIsSubset;
    if (is_keyword(tok_, "ISSUPERSET")) return CompareOp::kIsSuperset;
    return std::nullopt;
  }

  Result<Literal> parse_literal(std::string_view what) {
    Literal lit;
    switch (tok_.kind) {
      case TokenKind::kString:
        lit.kind = Literal::Kind::kString;
        lit.text = tok_.value;
        lit.network = parse_ip_network(lit.text);
        lit.source = quote(lit.text);
        break;
      case TokenKind::kInt:
        lit.kind = Literal::Kind::kInt;
        lit.int_value = tok_.int_value;
        lit.source = std::to_string(tok_.int_value);
        break;
      case TokenKind::kFloat:
        lit.kind = Literal::Kind::kFloat;
        lit.float_value = tok_.float_value;
        lit.source = std::string(tok_.text);
        break;
      case TokenKind::kTimestamp:
        lit.kind = Literal::Kind::kTimestamp;
        lit.time = tok_.time;
        lit.text = tok_.value;
        lit.source = "t" + quote(tok_.value);
        break;
      case TokenKind::kHex:
        lit.kind = Literal::Kind::kHex;
        lit.text = tok_.value;
        lit.source = "h'" + lower(tok_.text.substr(2, tok_.text.size() - 3)) + "'";
        break;
      case TokenKind::kBinary:
        lit.kind = Literal::Kind::kBinary;
        lit.text = tok_.value;
        lit.source = "b'" + std::string(tok_.text.substr(2, tok_.text.size() - 3)) + "'";
        break;
      default:
        if (is_keyword(tok_, "true") || is_keyword(tok_, "false")) {
          lit.kind = Literal::Kind::kBool;
          lit.bool_value = is_keyword(tok_, "true");
          lit.source = lit.bool_value ? "true" : "false";
          break;
        }
        return expected(what);
    }
    ATIO_RETURN_IF_ERROR(advance());
    return lit;
  }

  Lexer lexer_;
  Token tok_;
  int depth_ = 0;
  std::vector<std::string> variables_;
};

}  // namespace

Result<ParsedTree> parse_tree(std::string_view text) { return Parser(text).run(); }

}  // namespace atio::expr::detail
