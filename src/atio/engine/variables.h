// Variables of a running playbook: typed values, scoping and `__name__:value`
// substitution.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "atio/core/status.h"
#include "atio/playbook/cacao/model.h"

namespace atio::engine {

namespace bj = boost::json;

// The variable's value typed by its declared type (core/typed_value.h);
// null when it has none. Errors name the variable.
Result<bj::value> typed_value(const std::string& name, const cacao::Variable& var);

// The textual form used in substitution: strings as they are, everything
// else as compact JSON.
std::string value_text(const bj::value& v);

// The variables of one playbook run (a sub-playbook has its own). Thread-safe:
// parallel branches read and write concurrently.
class VariableScope {
 public:
  // Declared variables with typed values, overridden by `initial` (name ->
  // value), e.g. the trigger's variables and __event__. Undeclared names in
  // `initial` are added as external variables of a type inferred from JSON.
  static Result<std::shared_ptr<VariableScope>> create(const cacao::Variables& declared,
                                                       const bj::object& initial);

  // A copy of one variable; false when unknown. `step` overlays its
  // step_variables (step scope first, as in CACAO).
  bool get(std::string_view name, const cacao::Step* step, cacao::Variable* out) const;
  // Sets a variable's value (declaring it as external when unknown).
  // Constants are not changed and false is returned.
  bool set(const std::string& name, bj::value value);
  // name -> value of every variable that has a value.
  bj::object snapshot() const;

  // A counter that grows with every set(); with changed_since() a composite
  // step journals only what its sub-branches wrote, not every variable.
  std::uint64_t version() const;
  // name -> current value of the variables set after `version`.
  bj::object changed_since(std::uint64_t version) const;

  // Replaces every `__name__:value` whose name is a known variable; other text
  // is left alone.
  std::string substitute(std::string_view text, const cacao::Step* step) const;
  // Substitutes inside every string of `v` (recursively), except in keys and
  // in properties whose name ends in "_b64".
  void substitute_all(bj::value& v, const cacao::Step* step) const;

 private:
  mutable std::mutex mu_;
  cacao::Variables vars_;
  std::uint64_t version_ = 0;
  std::map<std::string, std::uint64_t> written_at_;  // name -> version of its last set()
};

}  // namespace atio::engine
