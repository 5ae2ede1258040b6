// Condition::parse, the immutable Condition implementation, and the boolean
// and printing parts of the node tree (comparisons are in compare.cc).
#include "atio/playbook/expr/condition.h"

#include "atio/playbook/expr/ast.h"
#include "atio/playbook/expr/parser.h"

namespace atio::expr {

namespace detail {

std::string ObjectPath::to_string() const {
  std::string out = variable;
  if (bare) return out;
  out += ":value";
  for (const PathStep& step : steps) {
    if (step.is_index) {
      out += "[" + std::to_string(step.index) + "]";
    } else {
      bool plain = !step.key.empty();
      for (char c : step.key) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-';
        plain = plain && ok;
      }
      plain = plain && !(step.key[0] >= '0' && step.key[0] <= '9') && step.key[0] != '-';
      if (plain) {
        out += "." + step.key;
      } else {
        out += "['";
        for (char c : step.key) {
          if (c == '\'' || c == '\\') out.push_back('\\');
          out.push_back(c);
        }
        out += "']";
      }
    }
  }
  return out;
}

Result<bool> BoolNode::evaluate(const VariableLookup& lookup) const {
  for (const NodePtr& child : children_) {
    ATIO_ASSIGN_OR_RETURN(bool v, child->evaluate(lookup));
    if (v != is_and_) return v;  // false in an AND, true in an OR decides
  }
  return is_and_;
}

void BoolNode::append_to(std::string* out) const {
  for (std::size_t i = 0; i < children_.size(); ++i) {
    if (i > 0) *out += is_and_ ? " AND " : " OR ";
    children_[i]->append_to(out);
  }
}

Result<bool> NotNode::evaluate(const VariableLookup& lookup) const {
  ATIO_ASSIGN_OR_RETURN(bool v, child_->evaluate(lookup));
  return !v;
}

void NotNode::append_to(std::string* out) const {
  *out += "NOT ";
  child_->append_to(out);
}

void GroupNode::append_to(std::string* out) const {
  *out += square_ ? "[" : "(";
  child_->append_to(out);
  *out += square_ ? "]" : ")";
}

void ExistsNode::append_to(std::string* out) const { *out += "EXISTS " + path_.to_string(); }

void CompareNode::append_to(std::string* out) const {
  *out += path_.to_string();
  if (negated_) *out += " NOT";
  *out += " ";
  *out += compare_op_name(op_);
  *out += " ";
  if (op_ == CompareOp::kIn) {
    *out += "(";
    for (std::size_t i = 0; i < operands_.size(); ++i) {
      if (i > 0) *out += ", ";
      *out += operands_[i].source;
    }
    *out += ")";
  } else {
    *out += operands_.front().source;
  }
}

}  // namespace detail

namespace {

class ConditionImpl final : public Condition {
 public:
  explicit ConditionImpl(detail::ParsedTree tree)
      : root_(std::move(tree.root)), variables_(std::move(tree.variables)) {
    root_->append_to(&text_);
  }

  Result<bool> evaluate(const VariableLookup& lookup) const override {
    // Every variable is checked first, so an unknown one is reported even
    // when short-circuiting would skip its comparison.
    for (const std::string& name : variables_) {
      if (lookup(name) == nullptr) {
        return Status(Code::kInvalidArgument, "unknown variable " + name);
      }
    }
    return root_->evaluate(lookup);
  }

  const std::vector<std::string>& variables() const override { return variables_; }
  std::string to_string() const override { return text_; }

 private:
  detail::NodePtr root_;
  std::vector<std::string> variables_;
  std::string text_;
};

}  // namespace

Result<std::shared_ptr<const Condition>> Condition::parse(std::string_view text) {
  ATIO_ASSIGN_OR_RETURN(detail::ParsedTree tree, detail::parse_tree(text));
  return std::shared_ptr<const Condition>(std::make_shared<ConditionImpl>(std::move(tree)));
}

}  // namespace atio::expr
