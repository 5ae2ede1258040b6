// Recursive-descent parser of the condition language:
//
//   expr       := and (OR and)*
//   and        := unary (AND unary)*
//   unary      := NOT unary | '(' expr ')' | '[' expr ']' | EXISTS path | comparison
//   comparison := path [NOT] op operand
//   op         := = == != <> < <= > >= IN LIKE MATCHES ISSUBSET ISSUPERSET
//   path       := __name__ [':' value ('.' key | '[' index ']')*]
//
// Keywords are case-insensitive.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "atio/core/status.h"
#include "atio/playbook/expr/ast.h"

namespace atio::expr::detail {

struct ParsedTree {
  NodePtr root;
  std::vector<std::string> variables;  // distinct, in order of first use
};

// Errors are kInvalidArgument: "position N: expected ..., found ...".
Result<ParsedTree> parse_tree(std::string_view text);

}  // namespace atio::expr::detail
