// The STIX objects of a GVM bundle, one function per kind, from what the
// builder (gvm_stix.h) gathered about the scan's NVTs, hosts and findings.
// Internal to the GVM converter.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "atio/cti/convert/gvm_fields.h"
#include "atio/cti/convert/gvm_model.h"

namespace atio::convert::gvm {

namespace bj = boost::json;

// What every object of one bundle shares. Every object is made in `sp` (the
// bundle's storage: a monotonic buffer dropped once the bundle is written).
struct Context {
  std::string now;       // created / modified
  std::string identity;  // created_by_ref
  bj::storage_ptr sp;
};

struct NvtEntry {
  Nvt nvt;
  std::optional<double> score;     // the NVT's, else the first converted result's
  std::string_view threat;         // used when there is no score at all
  std::string_view fallback_text;  // old reports keep the NVT text in the result
  std::string id;                  // set when the first result is converted
};

struct HostEntry {
  std::string address;  // canonical IP, or the host as written
  AddressKind kind = AddressKind::kOther;
  std::vector<std::string_view> hostnames;
  std::string id;  // set by add_host()
};

struct Finding {
  std::size_t host, nvt;
  Port port;
  Level level;
  std::optional<double> severity;
  std::optional<int> qod;
  std::string_view description, result_id;
};

// The identity of the scanner, with a fixed id (identity_id()).
bj::object make_identity(const Context& ctx);
std::string identity_id();

bj::object make_vulnerability(const NvtEntry& e, const Context& ctx);

// Appends the infrastructure of host `h`, its SCOs (those not in `emitted`
// yet: "type\0value" -> id) and its consists-of relationships to `out`; sets
// h.id. `info` is what the report says about the host, when it does.
void add_host(HostEntry& h, const HostInfo* info, const Context& ctx,
              std::unordered_map<std::string, std::string>* emitted, bj::array* out);

// infrastructure --has--> vulnerability for one finding.
bj::object make_has(const Finding& f, std::string_view source, std::string_view target,
                    const Context& ctx);

void add_unique(std::vector<std::string_view>* v, std::string_view s);

}  // namespace atio::convert::gvm
