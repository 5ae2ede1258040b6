// Printing and equality of parsed patterns.
#include "atio/cti/stix/pattern.h"

#include "atio/cti/stix/pattern_text.h"

namespace atio::stix::pattern {

namespace {

// Keys print bare when the grammar's IdentifierWithoutHyphen allows it, and
// quoted otherwise ('SHA-256', 'windows-pebinary-ext').
bool is_plain_key(std::string_view key) {
  if (key.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(key[0])) return false;
  for (char c : key) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

void append_key(std::string_view key, std::string* out) {
  *out += is_plain_key(key) ? std::string(key) : quote(key);
}

void append(const ComparisonExpr& e, std::string* out) {
  if (e.parenthesized) *out += "(";
  switch (e.kind) {
    case ComparisonExpr::Kind::kExists:
      *out += "EXISTS " + e.path.to_string();
      break;
    case ComparisonExpr::Kind::kCompare:
      *out += e.path.to_string();
      if (e.negated) *out += " NOT";
      *out += " ";
      *out += compare_op_name(e.op);
      *out += " ";
      if (e.op == CompareOp::kIn) {
        *out += "(";
        for (std::size_t i = 0; i < e.operands.size(); ++i) {
          if (i > 0) *out += ", ";
          *out += e.operands[i].source;
        }
        *out += ")";
      } else {
        *out += e.operands.front().source;
      }
      break;
    case ComparisonExpr::Kind::kAnd:
    case ComparisonExpr::Kind::kOr:
      for (std::size_t i = 0; i < e.children.size(); ++i) {
        if (i > 0) *out += e.kind == ComparisonExpr::Kind::kAnd ? " AND " : " OR ";
        append(e.children[i], out);
      }
      break;
  }
  if (e.parenthesized) *out += ")";
}

void append(const ObservationExpr& e, std::string* out) {
  if (e.parenthesized) *out += "(";
  switch (e.kind) {
    case ObservationExpr::Kind::kSimple:
      *out += "[";
      append(e.comparison, out);
      *out += "]";
      break;
    case ObservationExpr::Kind::kAnd:
    case ObservationExpr::Kind::kOr:
    case ObservationExpr::Kind::kFollowedBy: {
      const char* op = e.kind == ObservationExpr::Kind::kAnd  ? " AND "
                       : e.kind == ObservationExpr::Kind::kOr ? " OR "
                                                              : " FOLLOWEDBY ";
      for (std::size_t i = 0; i < e.children.size(); ++i) {
        if (i > 0) *out += op;
        append(e.children[i], out);
      }
      break;
    }
    case ObservationExpr::Kind::kWithin:
      append(e.children.front(), out);
      *out += " WITHIN " + e.within.source + " SECONDS";
      break;
    case ObservationExpr::Kind::kRepeats:
      append(e.children.front(), out);
      *out += " REPEATS " + std::to_string(e.repeats) + " TIMES";
      break;
    case ObservationExpr::Kind::kStartStop:
      append(e.children.front(), out);
      *out += " START " + e.start.source + " STOP " + e.stop.source;
      break;
  }
  if (e.parenthesized) *out += ")";
}

}  // namespace

std::string ObjectPath::to_string() const {
  std::string out = object_type + ":";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const PathStep& s = steps[i];
    switch (s.kind) {
      case PathStep::Kind::kKey:
        if (i > 0) out += ".";
        append_key(s.key, &out);
        break;
      case PathStep::Kind::kIndex: out += "[" + std::to_string(s.index) + "]"; break;
      case PathStep::Kind::kAnyIndex: out += "[*]"; break;
    }
  }
  return out;
}

bool ComparisonExpr::operator==(const ComparisonExpr& o) const {
  if (kind != o.kind || parenthesized != o.parenthesized) return false;
  switch (kind) {
    case Kind::kExists: return path == o.path;
    case Kind::kCompare:
      return path == o.path && negated == o.negated && op == o.op && operands == o.operands;
    case Kind::kAnd:
    case Kind::kOr: return children == o.children;
  }
  return false;
}

bool ObservationExpr::operator==(const ObservationExpr& o) const {
  if (kind != o.kind || parenthesized != o.parenthesized) return false;
  switch (kind) {
    case Kind::kSimple: return comparison == o.comparison;
    case Kind::kAnd:
    case Kind::kOr:
    case Kind::kFollowedBy: return children == o.children;
    case Kind::kWithin: return within == o.within && children == o.children;
    case Kind::kRepeats: return repeats == o.repeats && children == o.children;
    case Kind::kStartStop: return start == o.start && stop == o.stop && children == o.children;
  }
  return false;
}

std::string to_string(const ComparisonExpr& e) {
  std::string out;
  append(e, &out);
  return out;
}

std::string to_string(const ObservationExpr& e) {
  std::string out;
  append(e, &out);
  return out;
}

std::string Pattern::to_string() const { return pattern::to_string(root); }

}  // namespace atio::stix::pattern
