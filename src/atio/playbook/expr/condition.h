// CACAO conditions: STIX patterning comparison expressions over playbook
// variables, e.g.  __severity__:value > 5 AND __src_ip__:value ISSUBSET '10.0.0.0/8'
//
// A Condition is parsed once (at playbook validation) and evaluated many
// times, concurrently, from any thread (it is immutable).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "atio/core/status.h"
#include "atio/playbook/cacao/model.h"

namespace atio::expr {

// Looks a variable up by its full name ("__severity__"); nullptr when unknown.
using VariableLookup = std::function<const cacao::Variable*(std::string_view name)>;

class Condition {
 public:
  virtual ~Condition() = default;

  // Parses `text`. Errors name the 1-based character position and what was
  // expected ("position 14: expected a comparison operator, found 'foo'").
  static Result<std::shared_ptr<const Condition>> parse(std::string_view text);

  // Evaluates with the variables' CACAO types: integer/long/float compare as
  // numbers, bool as booleans, ipv4-addr/ipv6-addr support ISSUBSET/ISSUPERSET
  // with CIDR literals, strings compare as strings. An unknown variable, or a
  // value that does not fit its declared type, is an error (kInvalidArgument)
  // naming the variable. A variable without a value (absent, null, or "" for
  // a non-text type) makes every comparison on it false, negated ones too;
  // EXISTS __x__ tests for a value. Every referenced variable is looked up
  // before evaluation starts, so an unknown one is reported even when AND/OR
  // would short-circuit past it. Safe to call from many threads at once.
  virtual Result<bool> evaluate(const VariableLookup& lookup) const = 0;

  // Every variable name the expression references, e.g. {"__severity__"}.
  virtual const std::vector<std::string>& variables() const = 0;

  // The expression as parsed (normalised spacing).
  virtual std::string to_string() const = 0;
};

}  // namespace atio::expr
