#include "atio/cti/stix/object.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "atio/core/ids.h"
#include "atio/core/json.h"
#include "atio/cti/stix/ids.h"

namespace atio::stix {

namespace {

const std::vector<std::string_view> kSdoTypes = {
    "attack-pattern", "campaign",         "course-of-action", "grouping",      "identity",
    "incident",       "indicator",        "infrastructure",   "intrusion-set", "location",
    "malware",        "malware-analysis", "note",             "observed-data", "opinion",
    "report",         "threat-actor",     "tool",             "vulnerability"};

const std::vector<std::string_view> kScoTypes = {
    "artifact",   "autonomous-system", "directory",       "domain-name",     "email-addr",
    "email-message", "file",           "ipv4-addr",       "ipv6-addr",       "mac-addr",
    "mutex",      "network-traffic",   "process",         "software",        "url",
    "user-account", "windows-registry-key", "x509-certificate"};

bool contains(const std::vector<std::string_view>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool is_ref_key(std::string_view key) {
  auto ends_with = [&](std::string_view suffix) {
    return key.size() >= suffix.size() && key.substr(key.size() - suffix.size()) == suffix;
  };
  return ends_with("_ref") || ends_with("_refs");
}

void collect_refs(const bj::value& v, const std::string& pointer, bool is_ref,
                  std::vector<ObjectView::Reference>* out) {
  if (v.is_string()) {
    if (is_ref) out->push_back({pointer, std::string_view(v.get_string())});
  } else if (v.is_array()) {
    const auto& a = v.get_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      collect_refs(a[i], json::pointer_join(pointer, i), is_ref, out);
    }
  } else if (v.is_object()) {
    for (const auto& kv : v.get_object()) {
      collect_refs(kv.value(), json::pointer_join(pointer, kv.key()), is_ref_key(kv.key()), out);
    }
  }
}

}  // namespace

Kind kind_of(std::string_view type) {
  // Asked for every reference the validator checks: one hash lookup.
  static const auto* const kKinds = [] {
    auto* m = new std::unordered_map<std::string_view, Kind>;
    for (auto t : kSdoTypes) m->emplace(t, Kind::kSdo);
    for (auto t : kScoTypes) m->emplace(t, Kind::kSco);
    for (std::string_view t : {"relationship", "sighting"}) m->emplace(t, Kind::kSro);
    for (std::string_view t : {"marking-definition", "language-content", "extension-definition"}) {
      m->emplace(t, Kind::kMeta);
    }
    m->emplace("bundle", Kind::kBundle);
    return m;
  }();
  const auto it = kKinds->find(type);
  return it == kKinds->end() ? Kind::kCustom : it->second;
}

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::kSdo: return "SDO";
    case Kind::kSco: return "SCO";
    case Kind::kSro: return "SRO";
    case Kind::kMeta: return "meta object";
    case Kind::kBundle: return "bundle";
    case Kind::kCustom: return "custom object";
  }
  return "object";
}

const std::vector<std::string_view>& sdo_types() { return kSdoTypes; }
const std::vector<std::string_view>& sco_types() { return kScoTypes; }

std::string_view ObjectView::str(std::string_view key) const {
  auto it = o_->find(key);
  if (it == o_->end() || !it->value().is_string()) return {};
  return it->value().get_string();
}

std::optional<std::int64_t> ObjectView::integer(std::string_view key) const {
  auto it = o_->find(key);
  if (it == o_->end()) return std::nullopt;
  if (it->value().is_int64()) return it->value().get_int64();
  if (it->value().is_uint64() && it->value().get_uint64() <= INT64_MAX) {
    return static_cast<std::int64_t>(it->value().get_uint64());
  }
  return std::nullopt;
}

const bj::array* ObjectView::array(std::string_view key) const {
  return json::get_array(*o_, key);
}

const bj::object* ObjectView::object(std::string_view key) const {
  return json::get_object(*o_, key);
}

std::vector<std::string_view> ObjectView::strings(std::string_view key) const {
  std::vector<std::string_view> out;
  if (const auto* a = array(key)) {
    for (const auto& e : *a) {
      if (e.is_string()) out.emplace_back(e.get_string());
    }
  }
  return out;
}

std::vector<ObjectView::Reference> ObjectView::references() const {
  std::vector<Reference> out;
  for (const auto& kv : *o_) {
    collect_refs(kv.value(), json::pointer_join("", kv.key()), is_ref_key(kv.key()), &out);
  }
  return out;
}

bj::object new_sdo(std::string_view type, std::string_view timestamp, bj::storage_ptr sp) {
  bj::object o(std::move(sp));
  o.reserve(8);
  o.emplace("type", type);
  o.emplace("spec_version", "2.1");
  // type--uuid built on the stack: no temporary strings per object.
  char id[64 + 2 + 36];
  if (const std::size_t n = type.size(); n <= 64) {
    std::memcpy(id, type.data(), n);
    id[n] = '-', id[n + 1] = '-';
    uuid_v4_into(id + n + 2);
    o.emplace("id", std::string_view(id, n + 2 + 36));
  } else {
    o.emplace("id", random_id(type));
  }
  o.emplace("created", timestamp);
  o.emplace("modified", timestamp);
  return o;
}

bj::object new_relationship(std::string_view relationship_type, std::string_view source_ref,
                            std::string_view target_ref, std::string_view timestamp,
                            bj::storage_ptr sp) {
  bj::object o = new_sdo("relationship", timestamp, std::move(sp));
  o.emplace("relationship_type", relationship_type);
  o.emplace("source_ref", source_ref);
  o.emplace("target_ref", target_ref);
  return o;
}

bj::object new_sco(std::string_view type, bj::storage_ptr sp) {
  bj::object o(std::move(sp));
  o.reserve(6);
  o.emplace("type", type);
  o.emplace("spec_version", "2.1");
  o.emplace("id", "");
  return o;
}

std::string finish_sco(std::string_view type, bj::object* sco) {
  std::string id = sco_id(type, *sco);
  if (sco->size() >= 3) {
    auto* front = sco->begin();
    if (front[0].key() == "type" && front[1].key() == "spec_version" && front[2].key() == "id") {
      front[2].value() = id;
      return id;
    }
  }
  bj::object out(sco->storage());
  out.reserve(sco->size() + 3);
  out.emplace("type", type);
  out.emplace("spec_version", "2.1");
  out.emplace("id", id);
  for (auto& kv : *sco) {
    if (kv.key() == "type" || kv.key() == "spec_version" || kv.key() == "id") continue;
    out.emplace(kv.key(), std::move(kv.value()));
  }
  *sco = std::move(out);
  return id;
}

std::string_view id_of(const bj::object& o) {
  const bj::value* id = nullptr;
  if (o.size() >= 3 && o.begin()[2].key() == "id") {
    id = &o.begin()[2].value();
  } else if (auto it = o.find("id"); it != o.end()) {
    id = &it->value();
  }
  return id != nullptr && id->is_string() ? std::string_view(id->get_string()) : std::string_view();
}

bj::object new_bundle(bj::array objects) {
  bj::object b(objects.storage());
  b.emplace("type", "bundle");
  b.emplace("id", random_id("bundle"));
  b.emplace("objects", std::move(objects));
  return b;
}

bj::object external_reference(std::string_view source_name, std::string_view external_id,
                              std::string_view url, bj::storage_ptr sp) {
  bj::object r(std::move(sp));
  r.emplace("source_name", source_name);
  if (!external_id.empty()) r.emplace("external_id", external_id);
  if (!url.empty()) r.emplace("url", url);
  return r;
}

}  // namespace atio::stix
