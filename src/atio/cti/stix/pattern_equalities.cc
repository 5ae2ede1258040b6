#include "atio/cti/stix/pattern_equalities.h"

#include "atio/cti/stix/pattern.h"

namespace atio::stix {

namespace {

std::string path_text(const pattern::ObjectPath& p) {
  std::string out;
  for (const auto& step : p.steps) {
    switch (step.kind) {
      case pattern::PathStep::Kind::kKey:
        if (!out.empty()) out.push_back('.');
        out += step.key;
        break;
      case pattern::PathStep::Kind::kIndex:
        out += "[" + std::to_string(step.index) + "]";
        break;
      case pattern::PathStep::Kind::kAnyIndex:
        out += "[*]";
        break;
    }
  }
  return out;
}

// Collects equalities; false when `strict` and the expression has another shape.
bool collect(const pattern::ComparisonExpr& e, bool strict, std::vector<Equality>* out) {
  switch (e.kind) {
    case pattern::ComparisonExpr::Kind::kAnd:
    case pattern::ComparisonExpr::Kind::kOr:
      for (const auto& c : e.children) {
        if (!collect(c, strict, out)) return false;
      }
      return true;
    case pattern::ComparisonExpr::Kind::kExists:
      return !strict;
    case pattern::ComparisonExpr::Kind::kCompare:
      break;
  }
  const bool equality = !e.negated && e.op == pattern::CompareOp::kEq && e.operands.size() == 1 &&
                        e.operands[0].kind == pattern::Literal::Kind::kString;
  if (!equality) return !strict;
  out->push_back({e.path.object_type, path_text(e.path), e.operands[0].text});
  return true;
}

void collect_all(const pattern::ObservationExpr& o, std::vector<Equality>* out) {
  if (o.kind == pattern::ObservationExpr::Kind::kSimple) {
    collect(o.comparison, false, out);
    return;
  }
  for (const auto& c : o.children) collect_all(c, out);
}

}  // namespace

std::optional<std::vector<Equality>> simple_equalities(std::string_view text) {
  auto parsed = pattern::parse(text);
  if (!parsed.is_ok()) return std::nullopt;
  const pattern::ObservationExpr* root = &parsed->root;
  if (root->kind != pattern::ObservationExpr::Kind::kSimple) return std::nullopt;
  std::vector<Equality> out;
  if (!collect(root->comparison, true, &out)) return std::nullopt;
  return out;
}

std::vector<Equality> all_equalities(std::string_view text) {
  std::vector<Equality> out;
  auto parsed = pattern::parse(text);
  if (parsed.is_ok()) collect_all(parsed->root, &out);
  return out;
}

}  // namespace atio::stix
