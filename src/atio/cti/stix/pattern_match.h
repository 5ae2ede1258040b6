// Matching STIX patterns against observed data (STIX 2.1 part 9 semantics,
// as implemented by the OASIS reference matcher, cti-pattern-matcher).
//
// Comparison expressions are matched against a set of SCOs (JSON objects
// keyed by id, so that references resolve): a comparison holds for an SCO
// of its type when some value its path selects passes the test; comparisons
// joined by AND must hold for the same SCO, OR for any. Paths follow
// references: a key step on a *_ref value (or an element of a *_refs list)
// steps into the referenced SCO; [*] selects every element. A missing
// property, or a reference that does not resolve, selects nothing, so the
// comparison is false, negated or not.
//
// Tests: strings compare byte by byte (case-sensitive); numbers as numbers;
// t'' literals against timestamps in the JSON; *_hex and *_bin properties
// are bytes, compared with h''/b'' literals byte by byte and with a string
// literal whose characters are all below U+0100 as those bytes. Values of
// types that cannot be compared are unequal (so != and NOT = hold) and
// unordered (so < > <= >= are false, negated too). LIKE: % any run, _ one
// character, on strings. MATCHES: see pattern_regex.h (ECMAScript, not PCRE).
// ISSUBSET/ISSUPERSET: IPv4/IPv6 address or CIDR strings.
//
// Observation expressions are matched against observations, each counting
// number_observed times: AND and FOLLOWEDBY need distinct observations for
// their sides, FOLLOWEDBY the left side's first_observed no later than the
// right side's last_observed, REPEATS n as many distinct matches, WITHIN d
// observations that fit in d seconds, START/STOP observations overlapping
// [start, stop).
#pragma once

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "atio/core/status.h"
#include "atio/cti/stix/pattern.h"
#include "atio/cti/stix/time.h"

namespace atio::stix::pattern {

namespace bj = boost::json;

// What one observed-data says: these SCOs were seen number_observed times
// between first_observed and last_observed.
struct Observation {
  TimePoint first_observed{};
  TimePoint last_observed{};
  std::int64_t number_observed = 1;
  bj::object objects;  // SCOs keyed by id (or by "0", "1"... as in STIX 2.0 objects)
};

// The observation an observed-data SDO describes. Its SCOs are its `objects`
// (STIX 2.0 style) or its object_refs looked up in `pool` (SCOs by id, e.g.
// a bundle's), with every SCO of the pool they reference, transitively.
// Errors (kInvalidArgument): timestamps that do not parse, number_observed
// below 1.
Result<Observation> observation_from_observed_data(const bj::object& observed_data,
                                                   const bj::object& pool);

struct MatchOptions {
  // MISP and other producers write numbers as strings ([network-traffic:
  // dst_port = '8443']). When true, a number in the JSON and a string that
  // is a number compare as numbers; when false, they are of different types
  // (unequal), as the spec reads.
  bool numeric_strings = true;
  // Matching observation expressions keeps the candidate sets of
  // observations; past this many it stops with kResourceExhausted instead
  // of using unbounded memory.
  std::size_t max_bindings = 10000;
};

// True when some SCO of `objects` satisfies `e`. Errors (kInvalidArgument): a
// MATCHES expression that did not compile, a value too long for MATCHES.
Result<bool> matches(const ComparisonExpr& e, const bj::object& objects,
                     const MatchOptions& options = {});

// True when `observations` satisfy `e`.
Result<bool> matches(const ObservationExpr& e, const std::vector<Observation>& observations,
                     const MatchOptions& options = {});
Result<bool> matches(const Pattern& p, const std::vector<Observation>& observations,
                     const MatchOptions& options = {});

}  // namespace atio::stix::pattern
