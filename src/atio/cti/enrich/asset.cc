#include "atio/cti/enrich/asset.h"

#include <algorithm>
#include <cctype>

#include "atio/core/ids.h"
#include "atio/core/csv.h"
#include "atio/core/text.h"

namespace atio::enrich {

namespace {

// The canonical text of an address, so "10.0.0.05"-style spellings and
// IPv6 abbreviations compare equal; nullopt when not an address.
std::optional<std::string> canonical_address(std::string_view ip) {
  auto net = stix::pattern::parse_ip_network(ip);
  if (!net || ip.find('/') != std::string_view::npos) return std::nullopt;
  std::string text = net->to_string();
  return text.substr(0, text.find('/'));
}

void read_strings(const bj::object& o, std::string_view key, const std::string& pointer,
                  std::vector<std::string>* out, json::FieldErrors* errors) {
  const bj::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return;
  const std::string at = json::pointer_join(pointer, key);
  if (!v->is_array()) {
    errors->push_back({at, "must be an array of strings"});
    return;
  }
  for (std::size_t i = 0; i < v->get_array().size(); ++i) {
    const bj::value& e = v->get_array()[i];
    if (!e.is_string() || e.get_string().empty()) {
      errors->push_back({json::pointer_join(at, i), "must be a non-empty string"});
      continue;
    }
    out->emplace_back(e.get_string());
  }
}

bj::array to_array(const std::vector<std::string>& v) {
  bj::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

bj::object Asset::to_json() const {
  bj::object o;
  o["id"] = id;
  o["name"] = name;
  o["ips"] = to_array(ips);
  o["cidrs"] = to_array(cidrs);
  o["hostnames"] = to_array(hostnames);
  o["owner"] = owner;
  o["tags"] = to_array(tags);
  o["criticality"] = criticality;
  return o;
}

std::optional<Asset> parse_asset(const bj::value& v, const std::string& pointer,
                                 json::FieldErrors* errors) {
  const std::size_t before = errors->size();
  if (!v.is_object()) {
    errors->push_back({pointer, "an asset must be a JSON object"});
    return std::nullopt;
  }
  const bj::object& o = v.get_object();
  static const char* const kKnown[] = {"id",   "name",  "ips",  "cidrs",      "hostnames",
                                       "owner", "tags", "criticality"};
  for (const auto& kv : o) {
    if (std::find(std::begin(kKnown), std::end(kKnown), std::string_view(kv.key())) ==
        std::end(kKnown)) {
      errors->push_back({json::pointer_join(pointer, kv.key()),
                         "unknown property (known: id, name, ips, cidrs, hostnames, owner, tags, "
                         "criticality)"});
    }
  }
  Asset a;
  if (const bj::value* id = o.if_contains("id"); id && !id->is_null()) {
    if (!id->is_string() || !is_uuid(id->get_string())) {
      errors->push_back({json::pointer_join(pointer, "id"), "must be a UUID"});
    } else {
      a.id = ascii_lower(id->get_string());
    }
  }
  if (a.id.empty()) a.id = uuid_v4();
  const bj::value* name = o.if_contains("name");
  if (name == nullptr || !name->is_string() || name->get_string().empty()) {
    errors->push_back({json::pointer_join(pointer, "name"), "is required: a non-empty string"});
  } else {
    a.name = std::string(name->get_string());
  }
  read_strings(o, "ips", pointer, &a.ips, errors);
  read_strings(o, "cidrs", pointer, &a.cidrs, errors);
  read_strings(o, "hostnames", pointer, &a.hostnames, errors);
  read_strings(o, "tags", pointer, &a.tags, errors);
  for (std::size_t i = 0; i < a.ips.size(); ++i) {
    auto c = canonical_address(a.ips[i]);
    if (!c) {
      errors->push_back({json::pointer_join(json::pointer_join(pointer, "ips"), i),
                         "'" + a.ips[i] + "' is not an IPv4 or IPv6 address"});
    } else {
      a.ips[i] = *c;
    }
  }
  for (std::size_t i = 0; i < a.cidrs.size(); ++i) {
    if (a.cidrs[i].find('/') == std::string::npos || !stix::pattern::parse_ip_network(a.cidrs[i])) {
      errors->push_back({json::pointer_join(json::pointer_join(pointer, "cidrs"), i),
                         "'" + a.cidrs[i] + "' is not a CIDR network (address/prefix)"});
    }
  }
  for (auto& h : a.hostnames) h = ascii_lower(h);
  if (a.ips.empty() && a.cidrs.empty() && a.hostnames.empty()) {
    errors->push_back({pointer, "an asset needs at least one of ips, cidrs, hostnames"});
  }
  if (const bj::value* owner = o.if_contains("owner"); owner && !owner->is_null()) {
    if (!owner->is_string()) {
      errors->push_back({json::pointer_join(pointer, "owner"), "must be a string"});
    } else {
      a.owner = std::string(owner->get_string());
    }
  }
  if (const bj::value* c = o.if_contains("criticality"); c && !c->is_null()) {
    if (!c->is_int64() || c->get_int64() < 1 || c->get_int64() > 5) {
      errors->push_back({json::pointer_join(pointer, "criticality"),
                         "must be an integer from 1 (low) to 5 (critical)"});
    } else {
      a.criticality = static_cast<int>(c->get_int64());
    }
  }
  if (errors->size() != before) return std::nullopt;
  return a;
}

Result<std::vector<Asset>> parse_assets_json(const bj::value& v, json::FieldErrors* errors) {
  const bj::array* list = v.if_array();
  std::string base;
  if (list == nullptr && v.is_object()) {
    if (const bj::value* a = v.get_object().if_contains("assets")) {
      list = a->if_array();
      base = "/assets";
    }
  }
  if (list == nullptr) {
    errors->push_back({"", "expected a JSON array of assets, or {\"assets\": [...]}"});
    return Status(Code::kInvalidArgument, "not a list of assets");
  }
  std::vector<Asset> assets;
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (auto a = parse_asset((*list)[i], json::pointer_join(base, i), errors)) {
      assets.push_back(std::move(*a));
    }
  }
  if (!errors->empty()) {
    return Status(Code::kInvalidArgument, std::to_string(errors->size()) + " problems in the assets");
  }
  return assets;
}

Result<std::vector<Asset>> parse_assets_csv(std::string_view text, json::FieldErrors* errors) {
  std::string buffer(text);
  CsvReader reader(buffer);
  std::vector<std::string_view> fields;
  std::size_t line = 0;
  bool unterminated = false;
  if (!reader.next(&fields, &line, &unterminated)) {
    errors->push_back({"", "the CSV has no header row"});
    return Status(Code::kInvalidArgument, "empty CSV");
  }
  std::vector<std::string> header;
  for (auto f : fields) header.push_back(ascii_lower(f));
  std::vector<Asset> assets;
  while (reader.next(&fields, &line, &unterminated)) {
    const std::string where = "line " + std::to_string(line);
    if (unterminated) {
      errors->push_back({where, "a quoted field is not closed before the end of the input"});
      break;
    }
    bj::object o;
    for (std::size_t c = 0; c < header.size() && c < fields.size(); ++c) {
      const std::string& key = header[c];
      const std::string cell(fields[c]);
      if (cell.empty()) continue;
      if (key == "ips" || key == "cidrs" || key == "hostnames" || key == "tags") {
        bj::array items;
        std::string item;
        for (char ch : cell + " ") {
          if (ch == ' ' || ch == ';' || ch == ',') {
            if (!item.empty()) items.emplace_back(item);
            item.clear();
          } else {
            item.push_back(ch);
          }
        }
        o[key] = std::move(items);
      } else if (key == "criticality") {
        const bool digits = std::all_of(cell.begin(), cell.end(), [](char ch) {
          return ch >= '0' && ch <= '9';
        });
        o[key] = digits && cell.size() < 9 ? bj::value(std::stol(cell)) : bj::value(cell);
      } else {
        o[key] = cell;
      }
    }
    json::FieldErrors row_errors;
    auto a = parse_asset(o, "", &row_errors);
    for (auto& e : row_errors) {
      const std::string column =
          e.pointer.empty() ? "" : e.pointer.substr(1, e.pointer.find('/', 1) - 1);
      errors->push_back({where + (column.empty() ? "" : ", column " + column), e.message});
    }
    if (a) assets.push_back(std::move(*a));
  }
  if (!errors->empty()) {
    return Status(Code::kInvalidArgument,
                  std::to_string(errors->size()) + " problems in the assets");
  }
  return assets;
}

AssetIndex::AssetIndex(std::vector<Asset> assets) : assets_(std::move(assets)) {
  for (std::size_t i = 0; i < assets_.size(); ++i) {
    for (const auto& ip : assets_[i].ips) exact_.emplace(ip, i);
    for (const auto& h : assets_[i].hostnames) hosts_.emplace(h, i);
    for (const auto& c : assets_[i].cidrs) {
      if (auto net = stix::pattern::parse_ip_network(c)) cidrs_.emplace_back(*net, i);
    }
  }
  std::stable_sort(cidrs_.begin(), cidrs_.end(),
                   [](const auto& a, const auto& b) { return a.first.prefix > b.first.prefix; });
}

const Asset* AssetIndex::match_address(std::string_view ip) const {
  auto canonical = canonical_address(ip);
  if (!canonical) return nullptr;
  if (auto it = exact_.find(*canonical); it != exact_.end()) return &assets_[it->second];
  auto net = stix::pattern::parse_ip_network(*canonical);
  for (const auto& [cidr, i] : cidrs_) {
    if (stix::pattern::ip_contains(cidr, *net)) return &assets_[i];
  }
  return nullptr;
}

const Asset* AssetIndex::match_hostname(std::string_view host) const {
  if (auto it = hosts_.find(ascii_lower(host)); it != hosts_.end()) return &assets_[it->second];
  return nullptr;
}

}  // namespace atio::enrich
