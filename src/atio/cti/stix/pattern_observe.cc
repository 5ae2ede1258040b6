// Observation expressions against observations, and observations from
// observed-data SDOs (semantics in pattern_match.h).
//
// Like the OASIS reference matcher, matching computes "bindings": the
// observations one way of satisfying an expression uses. The reference
// matcher expands an observed-data with number_observed n into n separate
// observations; here the n copies are interchangeable, so a binding is a
// sorted multiset of observation indexes in which index i appears at most
// number_observed(i) times. That keeps REPEATS over a large number_observed
// cheap, and sets of bindings are deduplicated after each operator.
#include <algorithm>
#include <chrono>
#include <set>

#include "atio/cti/stix/object.h"
#include "atio/cti/stix/pattern_match.h"

namespace atio::stix::pattern {

namespace {

using Binding = std::vector<std::uint32_t>;
using Bindings = std::set<Binding>;

class ObservationMatcher {
 public:
  ObservationMatcher(const std::vector<Observation>& observations, const MatchOptions& options)
      : obs_(observations), options_(options) {}

  Result<Bindings> eval(const ObservationExpr& e) {
    switch (e.kind) {
      case ObservationExpr::Kind::kSimple: {
        Bindings out;
        for (std::uint32_t i = 0; i < obs_.size(); ++i) {
          ATIO_ASSIGN_OR_RETURN(bool m, matches(e.comparison, obs_[i].objects, options_));
          if (m) out.insert(Binding{i});
        }
        return out;
      }
      case ObservationExpr::Kind::kOr: {
        Bindings out;
        for (const ObservationExpr& c : e.children) {
          ATIO_ASSIGN_OR_RETURN(Bindings b, eval(c));
          out.insert(b.begin(), b.end());
          ATIO_RETURN_IF_ERROR(check_size(out));
        }
        return out;
      }
      case ObservationExpr::Kind::kAnd:
      case ObservationExpr::Kind::kFollowedBy: {
        const bool ordered = e.kind == ObservationExpr::Kind::kFollowedBy;
        ATIO_ASSIGN_OR_RETURN(Bindings acc, eval(e.children.front()));
        for (std::size_t k = 1; k < e.children.size(); ++k) {
          ATIO_ASSIGN_OR_RETURN(Bindings rhs, eval(e.children[k]));
          ATIO_ASSIGN_OR_RETURN(acc, join(acc, rhs, ordered));
        }
        return acc;
      }
      case ObservationExpr::Kind::kRepeats: {
        ATIO_ASSIGN_OR_RETURN(Bindings base, eval(e.children.front()));
        if (e.repeats < 1) return Bindings{};
        Bindings acc = base;
        for (std::int64_t k = 1; k < e.repeats && !acc.empty(); ++k) {
          ATIO_ASSIGN_OR_RETURN(acc, join(acc, base, false));
        }
        return acc;
      }
      case ObservationExpr::Kind::kWithin: {
        ATIO_ASSIGN_OR_RETURN(Bindings in, eval(e.children.front()));
        const double seconds = e.within.kind == Literal::Kind::kInt
                                   ? static_cast<double>(e.within.int_value)
                                   : e.within.float_value;
        Bindings out;
        for (const Binding& b : in) {
          // Some instant of every observation fits in one window of `seconds`
          // when the latest start is at most `seconds` after the earliest end.
          TimePoint latest_first = obs_[b.front()].first_observed;
          TimePoint earliest_last = obs_[b.front()].last_observed;
          for (std::uint32_t i : b) {
            latest_first = std::max(latest_first, obs_[i].first_observed);
            earliest_last = std::min(earliest_last, obs_[i].last_observed);
          }
          std::chrono::duration<double> span = latest_first - earliest_last;
          if (span.count() <= seconds) out.insert(b);
        }
        return out;
      }
      case ObservationExpr::Kind::kStartStop: {
        ATIO_ASSIGN_OR_RETURN(Bindings in, eval(e.children.front()));
        Bindings out;
        if (!(e.start.time < e.stop.time)) return out;
        for (const Binding& b : in) {
          // Each observation overlaps [start, stop): the stop is excluded.
          bool inside = std::all_of(b.begin(), b.end(), [&](std::uint32_t i) {
            return obs_[i].first_observed < e.stop.time && obs_[i].last_observed >= e.start.time;
          });
          if (inside) out.insert(b);
        }
        return out;
      }
    }
    return Bindings{};
  }

 private:
  Status check_size(const Bindings& b) const {
    if (b.size() <= options_.max_bindings) return Status::ok();
    return Status(Code::kResourceExhausted,
                  "pattern matching needs more than " + std::to_string(options_.max_bindings) +
                      " candidate sets of observations; narrow the pattern or the observations");
  }

  // Every union of one binding of `a` and one of `b` that uses each
  // observation at most number_observed times; with `ordered`, only those
  // where `a`'s observations can precede `b`'s.
  Result<Bindings> join(const Bindings& a, const Bindings& b, bool ordered) {
    Bindings out;
    Binding merged;
    for (const Binding& x : a) {
      TimePoint latest_first = TimePoint::min();
      for (std::uint32_t i : x) latest_first = std::max(latest_first, obs_[i].first_observed);
      for (const Binding& y : b) {
        if (ordered) {
          TimePoint earliest_last = TimePoint::max();
          for (std::uint32_t i : y) earliest_last = std::min(earliest_last, obs_[i].last_observed);
          if (latest_first > earliest_last) continue;
        }
        merged.clear();
        std::merge(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(merged));
        if (!fits(merged)) continue;
        out.insert(merged);
        ATIO_RETURN_IF_ERROR(check_size(out));
      }
    }
    return out;
  }

  // REQUIRES: b sorted.
  bool fits(const Binding& b) const {
    for (std::size_t i = 0; i < b.size();) {
      std::size_t j = i;
      while (j < b.size() && b[j] == b[i]) ++j;
      if (static_cast<std::int64_t>(j - i) > obs_[b[i]].number_observed) return false;
      i = j;
    }
    return true;
  }

  const std::vector<Observation>& obs_;
  const MatchOptions& options_;
};

Result<TimePoint> required_time(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  TimePoint t;
  if (v == nullptr || !v->is_string() || !parse_time(v->get_string(), &t)) {
    return Status(Code::kInvalidArgument,
                  "observed-data needs " + std::string(key) + " as a timestamp");
  }
  return t;
}

}  // namespace

Result<bool> matches(const ObservationExpr& e, const std::vector<Observation>& observations,
                     const MatchOptions& options) {
  for (const Observation& o : observations) {
    if (o.number_observed < 1) {
      return Status(Code::kInvalidArgument, "an observation has number_observed " +
                                                std::to_string(o.number_observed) +
                                                " (at least 1)");
    }
  }
  ObservationMatcher m(observations, options);
  ATIO_ASSIGN_OR_RETURN(Bindings b, m.eval(e));
  return !b.empty();
}

Result<bool> matches(const Pattern& p, const std::vector<Observation>& observations,
                     const MatchOptions& options) {
  return matches(p.root, observations, options);
}

Result<Observation> observation_from_observed_data(const bj::object& od, const bj::object& pool) {
  Observation out;
  ATIO_ASSIGN_OR_RETURN(out.first_observed, required_time(od, "first_observed"));
  ATIO_ASSIGN_OR_RETURN(out.last_observed, required_time(od, "last_observed"));
  if (out.last_observed < out.first_observed) {
    return Status(Code::kInvalidArgument, "observed-data has last_observed before first_observed");
  }
  if (const bj::value* n = od.if_contains("number_observed")) {
    if (!n->is_int64() || n->get_int64() < 1) {
      return Status(Code::kInvalidArgument, "observed-data needs number_observed >= 1");
    }
    out.number_observed = n->get_int64();
  }
  if (const bj::value* objects = od.if_contains("objects"); objects && objects->is_object()) {
    out.objects = objects->get_object();
  }
  if (const bj::value* refs = od.if_contains("object_refs"); refs && refs->is_array()) {
    std::vector<std::string> pending;
    for (const bj::value& r : refs->get_array()) {
      if (r.is_string()) pending.emplace_back(r.get_string());
    }
    // The listed SCOs and, transitively, the SCOs they reference.
    while (!pending.empty()) {
      std::string id = std::move(pending.back());
      pending.pop_back();
      if (out.objects.contains(id)) continue;
      const bj::value* sco = pool.if_contains(id);
      if (sco == nullptr || !sco->is_object()) continue;
      out.objects[id] = *sco;
      for (const ObjectView::Reference& ref : ObjectView(sco->get_object()).references()) {
        pending.emplace_back(ref.id);
      }
    }
  }
  return out;
}

}  // namespace atio::stix::pattern
