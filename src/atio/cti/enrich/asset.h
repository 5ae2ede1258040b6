// The asset inventory: what the organisation owns, so that a detection's
// target can be matched to an asset with an owner, tags and a criticality.
//
// An asset (JSON):
//   {"id": "<uuid>",                optional on import; made when absent
//    "name": "web-1",               required
//    "ips": ["10.0.0.5", "2001:db8::5"], "cidrs": ["10.0.1.0/24"],
//    "hostnames": ["web-1.corp.example"],
//    "owner": "web team", "tags": ["pci", "dmz"],
//    "criticality": 4}              1 low .. 5 critical; default 3
// At least one of ips, cidrs, hostnames is required (else nothing matches).
// CSV import: a header row with those column names; lists inside a cell are
// separated by spaces or semicolons.
#pragma once

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "atio/core/json.h"
#include "atio/core/status.h"
#include "atio/cti/stix/pattern_ip.h"

namespace atio::enrich {

namespace bj = boost::json;

struct Asset {
  std::string id;
  std::string name;
  std::vector<std::string> ips;
  std::vector<std::string> cidrs;
  std::vector<std::string> hostnames;  // lower case
  std::string owner;
  std::vector<std::string> tags;
  int criticality = 3;

  bj::object to_json() const;
};

// Reads one asset; problems are appended to `errors` under `pointer` (each
// names the field and the rule). Returns nullopt when any was found.
std::optional<Asset> parse_asset(const bj::value& v, const std::string& pointer,
                                 json::FieldErrors* errors);

// A JSON array of assets or {"assets": [...]}. All-or-nothing: any problem
// and no asset is returned, with every problem listed.
Result<std::vector<Asset>> parse_assets_json(const bj::value& v, json::FieldErrors* errors);

// CSV with a header row (see above). Errors name the line and column.
Result<std::vector<Asset>> parse_assets_csv(std::string_view text, json::FieldErrors* errors);

// Finds the asset of an address or host name. An exact address wins over a
// CIDR; among CIDRs the longest prefix wins; host names match without case.
// Immutable after construction: safe to share between threads.
class AssetIndex {
 public:
  AssetIndex() = default;
  explicit AssetIndex(std::vector<Asset> assets);

  const Asset* match_address(std::string_view ip) const;
  const Asset* match_hostname(std::string_view host) const;
  const std::vector<Asset>& assets() const { return assets_; }

 private:
  std::vector<Asset> assets_;
  std::unordered_map<std::string, std::size_t> exact_;  // canonical address -> asset
  std::unordered_map<std::string, std::size_t> hosts_;  // lower-case name -> asset
  std::vector<std::pair<stix::pattern::IpNetwork, std::size_t>> cidrs_;  // longest prefix first
};

}  // namespace atio::enrich
