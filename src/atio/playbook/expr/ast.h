// The parsed form of a condition (internal to atio/playbook/expr): literals,
// object paths and an immutable tree of nodes. Nodes are built once by the
// parser and then only read, so evaluation is safe from many threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "atio/core/status.h"
#include "atio/cti/stix/pattern_ip.h"
#include "atio/cti/stix/pattern_literal.h"
#include "atio/playbook/expr/condition.h"

namespace atio::expr::detail {

// Literals, operators and IP networks are those of STIX patterning.
using stix::pattern::compare_op_name;
using stix::pattern::CompareOp;
using stix::pattern::IpNetwork;
using stix::pattern::Literal;

// One step into a dictionary value: .key, [0] or ['key'].
struct PathStep {
  bool is_index = false;
  std::string key;
  std::size_t index = 0;
};

// __name__, __name__:value, __name__:value.key[0]
struct ObjectPath {
  std::string variable;  // "__name__"
  bool bare = false;     // written without ":value"
  std::vector<PathStep> steps;

  std::string to_string() const;
};

// A variable's value resolved for one comparison (see subject.h).
struct Subject;

class Node {
 public:
  virtual ~Node() = default;
  // REQUIRES: every variable of the node is known to `lookup` (checked by
  // the caller); an unknown one is still reported, never dereferenced.
  virtual Result<bool> evaluate(const VariableLookup& lookup) const = 0;
  virtual void append_to(std::string* out) const = 0;
};
using NodePtr = std::unique_ptr<const Node>;

// a AND b AND ... / a OR b OR ... (short-circuit, left to right).
class BoolNode : public Node {
 public:
  BoolNode(bool is_and, std::vector<NodePtr> children)
      : is_and_(is_and), children_(std::move(children)) {}
  Result<bool> evaluate(const VariableLookup& lookup) const override;
  void append_to(std::string* out) const override;

 private:
  bool is_and_;
  std::vector<NodePtr> children_;
};

// NOT x
class NotNode : public Node {
 public:
  explicit NotNode(NodePtr child) : child_(std::move(child)) {}
  Result<bool> evaluate(const VariableLookup& lookup) const override;
  void append_to(std::string* out) const override;

 private:
  NodePtr child_;
};

// ( x ) or [ x ], kept so that to_string() shows the grouping as written.
class GroupNode : public Node {
 public:
  GroupNode(bool square, NodePtr child) : square_(square), child_(std::move(child)) {}
  Result<bool> evaluate(const VariableLookup& lookup) const override {
    return child_->evaluate(lookup);
  }
  void append_to(std::string* out) const override;

 private:
  bool square_;
  NodePtr child_;
};

// EXISTS path: true when the path resolves to a non-null value.
class ExistsNode : public Node {
 public:
  explicit ExistsNode(ObjectPath path) : path_(std::move(path)) {}
  Result<bool> evaluate(const VariableLookup& lookup) const override;
  void append_to(std::string* out) const override;

 private:
  ObjectPath path_;
};

// path [NOT] op literal(s). A path without a value makes the comparison
// false, negated or not (as in STIX patterning).
class CompareNode : public Node {
 public:
  CompareNode(ObjectPath path, bool negated, CompareOp op, std::vector<Literal> operands,
              std::shared_ptr<const std::regex> regex)
      : path_(std::move(path)),
        negated_(negated),
        op_(op),
        operands_(std::move(operands)),
        regex_(std::move(regex)) {}
  Result<bool> evaluate(const VariableLookup& lookup) const override;
  void append_to(std::string* out) const override;

 private:
  Result<bool> evaluate_positive(const Subject& subject) const;

  ObjectPath path_;
  bool negated_;
  CompareOp op_;
  std::vector<Literal> operands_;           // one, or the set of IN
  std::shared_ptr<const std::regex> regex_;  // MATCHES only
};

}  // namespace atio::expr::detail
