// A small JSON diff for audit records: what a change did to a document, as
// a list of RFC 6902 operations ({"op": "add"|"remove"|"replace", "path":
// JSON pointer, "value": ...}). Kept small on purpose: an array whose length
// changed is replaced as a whole, a value whose JSON is longer than
// `max_value_bytes` is left out ("value_omitted": true), and after `max_ops`
// operations the list ends with {"op": "truncated", "more": n}.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <cstddef>

namespace atio::audit {

struct DiffLimits {
  std::size_t max_ops = 50;
  std::size_t max_value_bytes = 256;
};

boost::json::array json_diff(const boost::json::value& before, const boost::json::value& after,
                             const DiffLimits& limits = {});

}  // namespace atio::audit
