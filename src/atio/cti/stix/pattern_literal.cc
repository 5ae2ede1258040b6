#include "atio/cti/stix/pattern_literal.h"

#include "atio/core/text.h"
#include "atio/cti/stix/pattern_regex.h"
#include "atio/cti/stix/pattern_text.h"

namespace atio::stix::pattern {

bool Literal::operator==(const Literal& o) const {
  if (kind != o.kind) return false;
  switch (kind) {
    case Kind::kString:
    case Kind::kHex:
    case Kind::kBinary: return text == o.text;
    case Kind::kInt: return int_value == o.int_value;
    case Kind::kFloat: return float_value == o.float_value;
    case Kind::kBool: return bool_value == o.bool_value;
    case Kind::kTimestamp: return time == o.time;
  }
  return false;
}

const char* compare_op_name(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "!=";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
    case CompareOp::kIn: return "IN";
    case CompareOp::kLike: return "LIKE";
    case CompareOp::kMatches: return "MATCHES";
    case CompareOp::kIsSubset: return "ISSUBSET";
    case CompareOp::kIsSuperset: return "ISSUPERSET";
  }
  return "?";
}

namespace {

bool at_bool(const TokenStream& ts) { return ts.at("true") || ts.at("false"); }

std::optional<CompareOp> comparison_op(const TokenStream& ts) {
  switch (ts.token().kind) {
    case TokenKind::kEq: return CompareOp::kEq;
    case TokenKind::kNe: return CompareOp::kNe;
    case TokenKind::kLt: return CompareOp::kLt;
    case TokenKind::kLe: return CompareOp::kLe;
    case TokenKind::kGt: return CompareOp::kGt;
    case TokenKind::kGe: return CompareOp::kGe;
    default: break;
  }
  if (ts.at("IN")) return CompareOp::kIn;
  if (ts.at("LIKE")) return CompareOp::kLike;
  if (ts.at("MATCHES")) return CompareOp::kMatches;
  if (ts.at("ISSUBSET")) return CompareOp::kIsSubset;
  if (ts.at("ISSUPERSET")) return CompareOp::kIsSuperset;
  return std::nullopt;
}

}  // namespace

Result<Literal> parse_literal(TokenStream& ts, std::string_view what) {
  const Token& tok = ts.token();
  Literal lit;
  lit.offset = tok.offset;
  lit.loose_escape = tok.loose_escape;
  switch (tok.kind) {
    case TokenKind::kString:
      lit.kind = Literal::Kind::kString;
      lit.text = tok.value;
      lit.network = parse_ip_network(lit.text);
      lit.source = quote(lit.text);
      break;
    case TokenKind::kInt:
      lit.kind = Literal::Kind::kInt;
      lit.int_value = tok.int_value;
      lit.source = std::to_string(tok.int_value);
      break;
    case TokenKind::kFloat:
      lit.kind = Literal::Kind::kFloat;
      lit.float_value = tok.float_value;
      lit.source = std::string(tok.text);
      break;
    case TokenKind::kTimestamp:
      lit.kind = Literal::Kind::kTimestamp;
      lit.time = tok.time;
      lit.text = tok.value;
      lit.source = "t" + quote(tok.value);
      break;
    case TokenKind::kHex:
      lit.kind = Literal::Kind::kHex;
      lit.text = tok.value;
      lit.source = "h'" + ascii_lower(tok.text.substr(2, tok.text.size() - 3)) + "'";
      break;
    case TokenKind::kBinary:
      lit.kind = Literal::Kind::kBinary;
      lit.text = tok.value;
      lit.source = "b'" + std::string(tok.text.substr(2, tok.text.size() - 3)) + "'";
      break;
    default:
      if (at_bool(ts)) {
        lit.kind = Literal::Kind::kBool;
        lit.bool_value = ts.at("true");
        lit.source = lit.bool_value ? "true" : "false";
        break;
      }
      return ts.expected(what);
  }
  ATIO_RETURN_IF_ERROR(ts.advance());
  return lit;
}

Result<ComparisonTail> parse_comparison_tail(TokenStream& ts) {
  ComparisonTail tail;
  if (ts.at("NOT")) {
    tail.negated = true;
    ATIO_RETURN_IF_ERROR(ts.advance());
  }
  std::optional<CompareOp> op = comparison_op(ts);
  if (!op) return ts.expected("a comparison operator");
  tail.op = *op;
  ATIO_RETURN_IF_ERROR(ts.advance());
  switch (*op) {
    case CompareOp::kEq:
    case CompareOp::kNe: {
      ATIO_ASSIGN_OR_RETURN(Literal lit, parse_literal(ts, "a literal"));
      tail.operands.push_back(std::move(lit));
      break;
    }
    case CompareOp::kLt:
    case CompareOp::kLe:
    case CompareOp::kGt:
    case CompareOp::kGe: {
      if (at_bool(ts)) {
        return ts.expected("an orderable literal (number, string, timestamp, hex or binary)");
      }
      ATIO_ASSIGN_OR_RETURN(Literal lit, parse_literal(ts, "a literal"));
      tail.operands.push_back(std::move(lit));
      break;
    }
    case CompareOp::kIn: {
      if (ts.token().kind != TokenKind::kLParen) return ts.expected("'(' after IN");
      ATIO_RETURN_IF_ERROR(ts.advance());
      while (true) {
        ATIO_ASSIGN_OR_RETURN(Literal lit, parse_literal(ts, "a literal"));
        tail.operands.push_back(std::move(lit));
        if (ts.token().kind == TokenKind::kRParen) break;
        if (ts.token().kind != TokenKind::kComma) return ts.expected("',' or ')'");
        ATIO_RETURN_IF_ERROR(ts.advance());
      }
      ATIO_RETURN_IF_ERROR(ts.advance());
      break;
    }
    case CompareOp::kLike:
    case CompareOp::kMatches:
    case CompareOp::kIsSubset:
    case CompareOp::kIsSuperset: {
      if (ts.token().kind != TokenKind::kString) return ts.expected("a 'string' literal");
      const std::string found = describe(ts.token());
      ATIO_ASSIGN_OR_RETURN(Literal lit, parse_literal(ts, "a 'string' literal"));
      if (*op == CompareOp::kMatches) {
        Result<std::shared_ptr<const std::regex>> re = compile_regex(lit.text);
        if (re) {
          tail.regex = std::move(re).value();
        } else {
          tail.operand_problem = Status(
              Code::kInvalidArgument, ts.where(lit.offset) +
                                          "expected a valid regular expression, found " + found +
                                          " (" + re.status().message() + ")");
        }
      } else if ((*op == CompareOp::kIsSubset || *op == CompareOp::kIsSuperset) &&
                 !lit.network) {
        tail.operand_problem =
            Status(Code::kInvalidArgument,
                   ts.where(lit.offset) +
                       "expected an IP address or CIDR such as '10.0.0.0/8', found " + found);
      }
      tail.operands.push_back(std::move(lit));
      break;
    }
  }
  return tail;
}

}  // namespace atio::stix::pattern
