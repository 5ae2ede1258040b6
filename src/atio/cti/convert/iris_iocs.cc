#include "atio/cti/convert/iris_iocs.h"

#include "atio/core/text.h"
#include "atio/cti/stix/pattern_equalities.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <utility>

#include "atio/cti/convert/iris_ids.h"
#include "atio/cti/stix/object.h"

namespace atio::convert::iris {

namespace {

using stix::ObjectView;

// ---- TLP ---------------------------------------------------------------------

// How restrictive each IRIS TLP id is.
int rank(int tlp_id) {
  switch (tlp_id) {
    case tlp::kClear: return 1;
    case tlp::kGreen: return 2;
    case tlp::kAmber: return 3;
    case tlp::kAmberStrict: return 4;
    case tlp::kRed: return 5;
    default: return 0;
  }
}

int tlp_by_name(std::string_view name) {
  std::string n = ascii_lower(name);
  if (n.starts_with("tlp:")) n = n.substr(4);
  if (n == "clear" || n == "white") return tlp::kClear;
  if (n == "green") return tlp::kGreen;
  if (n == "amber") return tlp::kAmber;
  if (n == "amber+strict") return tlp::kAmberStrict;
  if (n == "red") return tlp::kRed;
  return 0;
}

// The fixed ids STIX 2.1 gives the TLP 1.0 markings and the TLP 2.0
// extension gives its markings.
int tlp_by_id(std::string_view id) {
  static const std::pair<std::string_view, int> kKnown[] = {
      {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", tlp::kClear},  // WHITE
      {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", tlp::kGreen},
      {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", tlp::kAmber},
      {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", tlp::kRed},
      {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", tlp::kClear},
      {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", tlp::kGreen},
      {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", tlp::kAmber},
      {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", tlp::kAmberStrict},
      {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", tlp::kRed},
  };
  for (const auto& [known, level] : kKnown) {
    if (id == known) return level;
  }
  return 0;
}

int tlp_of_definition(const bj::object& md) {
  ObjectView v(md);
  if (const auto* def = v.object("definition")) {
    if (auto it = def->find("tlp"); it != def->end() && it->value().is_string()) {
      if (int t = tlp_by_name(it->value().get_string())) return t;
    }
  }
  if (const auto* ext = v.object("extensions")) {
    for (const auto& kv : *ext) {
      if (!kv.value().is_object()) continue;
      const auto& o = kv.value().get_object();
      if (auto it = o.find("tlp_2_0"); it != o.end() && it->value().is_string()) {
        if (int t = tlp_by_name(it->value().get_string())) return t;
      }
    }
  }
  return tlp_by_name(v.name());
}

int tlp_of_object(const BundleView& bundle, const bj::object& o,
                  const std::unordered_map<std::string_view, int>& inherited, int fallback) {
  if (int t = tlp_of_markings(bundle, ObjectView(o).strings("object_marking_refs"))) return t;
  if (auto it = inherited.find(ObjectView(o).id()); it != inherited.end()) return it->second;
  return fallback;
}

// The TLP a container (report, observed-data, ...) hands to what it lists.
std::unordered_map<std::string_view, int> inherited_tlp(const BundleView& bundle) {
  std::unordered_map<std::string_view, int> out;
  for (const auto* o : bundle.objects()) {
    ObjectView v(*o);
    const int t = tlp_of_markings(bundle, v.strings("object_marking_refs"));
    if (t == 0) continue;
    for (auto ref : v.strings("object_refs")) {
      int& slot = out[ref];
      if (rank(t) > rank(slot)) slot = t;
    }
  }
  return out;
}

// ---- IOC list ------------------------------------------------------------------

class IocList {
 public:
  void add(int type_id, std::string value, std::string description, int tlp_id,
           std::string_view tags) {
    if (value.empty() || !seen_.emplace(type_id, value).second) return;
    bj::object ioc;
    ioc.emplace("ioc_value", std::move(value));
    ioc.emplace("ioc_description", std::move(description));
    ioc.emplace("ioc_tlp_id", tlp_id);
    ioc.emplace("ioc_type_id", type_id);
    if (!tags.empty()) ioc.emplace("ioc_tags", tags);
    iocs_.emplace_back(std::move(ioc));
  }
  bj::array take() { return std::move(iocs_); }

 private:
  std::set<std::pair<int, std::string>> seen_;
  bj::array iocs_;
};

struct HashType {
  int type_id;
  const char* name;
  bool hex;
};

// STIX hash names (any case, with or without '-') to IRIS types.
std::optional<HashType> hash_type(std::string_view algorithm) {
  std::string a;
  for (char c : algorithm) {
    if (c != '-' && c != '_') a += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (a == "MD5") return HashType{ioc_type::kMd5, "MD5", true};
  if (a == "SHA1") return HashType{ioc_type::kSha1, "SHA-1", true};
  if (a == "SHA224") return HashType{ioc_type::kSha224, "SHA-224", true};
  if (a == "SHA256") return HashType{ioc_type::kSha256, "SHA-256", true};
  if (a == "SHA384") return HashType{ioc_type::kSha384, "SHA-384", true};
  if (a == "SHA512") return HashType{ioc_type::kSha512, "SHA-512", true};
  if (a == "SHA3256") return HashType{ioc_type::kSha3_256, "SHA3-256", true};
  if (a == "SHA3512") return HashType{ioc_type::kSha3_512, "SHA3-512", true};
  if (a == "SSDEEP") return HashType{ioc_type::kSsdeep, "SSDEEP", false};
  if (a == "TLSH") return HashType{ioc_type::kTlsh, "TLSH", true};
  return std::nullopt;
}

enum Role { kNone = 0, kSource = 1, kDestination = 2 };

std::unordered_map<std::string_view, int> roles(const BundleView& bundle) {
  std::unordered_map<std::string_view, int> out;
  for (const auto* o : bundle.objects()) {
    ObjectView v(*o);
    if (v.type() == "network-traffic") {
      if (!v.str("src_ref").empty()) out[v.str("src_ref")] |= kSource;
      if (!v.str("dst_ref").empty()) out[v.str("dst_ref")] |= kDestination;
    } else if (v.type() == "email-message") {
      for (auto key : {"from_ref", "sender_ref"}) {
        if (!v.str(key).empty()) out[v.str(key)] |= kSource;
      }
      for (auto key : {"to_refs", "cc_refs", "bcc_refs"}) {
        for (auto ref : v.strings(key)) out[ref] |= kDestination;
      }
    }
  }
  return out;
}

void add_sco(IocList& list, const ObjectView& v, int role, int tlp_id) {
  const std::string value(v.str("value"));
  const std::string_view type = v.type();
  if (type == "ipv4-addr" || type == "ipv6-addr") {
    const char* family = type == "ipv4-addr" ? "IPv4 address" : "IPv6 address";
    if (role == kSource) {
      list.add(ioc_type::kIpSrc, value, std::string(family) + ", source of traffic", tlp_id, "");
    } else if (role == kDestination) {
      list.add(ioc_type::kIpDst, value, std::string(family) + ", destination of traffic", tlp_id,
               "");
    } else {
      list.add(ioc_type::kIpAny, value, family, tlp_id, "");
    }
  } else if (type == "domain-name") {
    list.add(ioc_type::kDomain, value, "domain name", tlp_id, "");
  } else if (type == "url") {
    list.add(ioc_type::kUrl, value, "URL", tlp_id, "");
  } else if (type == "mac-addr") {
    list.add(ioc_type::kMacAddress, value, "MAC address", tlp_id, "");
  } else if (type == "email-addr") {
    if (role == kDestination) {
      list.add(ioc_type::kEmailDst, value, "email address, recipient", tlp_id, "");
    } else {
      list.add(ioc_type::kEmailSrc, value, "email address", tlp_id, "");
    }
  } else if (type == "file" || type == "artifact") {
    const auto* hashes = v.object("hashes");
    if (hashes == nullptr) return;
    const std::string name(type == "file" ? v.str("name") : v.str("mime_type"));
    for (const auto& kv : *hashes) {
      auto h = hash_type(kv.key());
      if (!h || !kv.value().is_string()) continue;
      std::string hash(kv.value().get_string());
      if (h->hex) hash = ascii_lower(hash);
      std::string description = std::string(h->name) + " of " + std::string(type);
      if (!name.empty()) description += " " + name;
      list.add(h->type_id, std::move(hash), std::move(description), tlp_id, "");
    }
  }
}

// `object:path = 'value'` comparisons of a STIX pattern, unescaped.
std::vector<std::pair<std::string, std::string>> comparisons(std::string_view pattern) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& e : stix::all_equalities(pattern)) {
    out.emplace_back(e.object_type + ":" + e.path, std::move(e.value));
  }
  return out;
}

// The IRIS type of one comparison's object path; 0 when IRIS has none.
int type_of_path(const std::string& path, std::string* value) {
  if (path == "ipv4-addr:value" || path == "ipv6-addr:value") return ioc_type::kIpAny;
  if (path == "network-traffic:src_ref.value") return ioc_type::kIpSrc;
  if (path == "network-traffic:dst_ref.value") return ioc_type::kIpDst;
  if (path == "domain-name:value") return ioc_type::kDomain;
  if (path == "url:value") return ioc_type::kUrl;
  if (path == "mac-addr:value") return ioc_type::kMacAddress;
  if (path == "email-addr:value" || path == "email-message:from_ref.value" ||
      path == "email-message:sender_ref.value") {
    return ioc_type::kEmailSrc;
  }
  if (path.starts_with("email-message:to_refs") || path.starts_with("email-message:cc_refs")) {
    return ioc_type::kEmailDst;
  }
  if (path == "file:name") return ioc_type::kFilename;
  for (std::string_view prefix : {"file:hashes.", "artifact:hashes."}) {
    if (!path.starts_with(prefix)) continue;
    std::string algorithm = path.substr(prefix.size());
    algorithm.erase(std::remove(algorithm.begin(), algorithm.end(), '\''), algorithm.end());
    if (auto h = hash_type(algorithm)) {
      if (h->hex) *value = ascii_lower(*value);
      return h->type_id;
    }
  }
  return 0;
}

int pattern_ioc_type(std::string_view pattern_type) {
  if (pattern_type == "stix" || pattern_type.empty()) return ioc_type::kStix2Pattern;
  if (pattern_type == "snort" || pattern_type == "suricata") return ioc_type::kSnort;
  if (pattern_type == "sigma") return ioc_type::kSigma;
  if (pattern_type == "yara") return ioc_type::kYara;
  return ioc_type::kOther;
}

void add_indicator(IocList& list, const ObjectView& v, int tlp_id) {
  std::string about(v.name());
  if (about.empty()) about = "indicator " + std::string(v.id());
  std::string tags = "stix-indicator";
  for (auto t : v.strings("indicator_types")) tags += "," + std::string(t);
  const std::string_view pattern_type = v.str("pattern_type");
  int found = 0;
  if (pattern_type == "stix" || pattern_type.empty()) {
    for (auto& [path, value] : comparisons(v.str("pattern"))) {
      if (int type = type_of_path(path, &value)) {
        list.add(type, std::move(value), "STIX " + about + " (" + path + ")", tlp_id, tags);
        ++found;
      }
    }
  }
  if (found == 0 && !v.str("pattern").empty()) {
    list.add(pattern_ioc_type(pattern_type), std::string(v.str("pattern")),
             "STIX " + about + " (" + std::string(pattern_type.empty() ? "stix" : pattern_type) +
                 " pattern)",
             tlp_id, tags);
  }
}

}  // namespace

BundleView::BundleView(const bj::array& objects) {
  for (const auto& v : objects) {
    if (!v.is_object()) continue;
    objects_.push_back(&v.get_object());
    ObjectView view(v.get_object());
    if (!view.id().empty()) by_id_.emplace(view.id(), &v.get_object());
  }
}

const bj::object* BundleView::find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

int tlp_of_markings(const BundleView& bundle, const std::vector<std::string_view>& refs) {
  int best = 0;
  for (auto ref : refs) {
    int t = tlp_by_id(ref);
    if (t == 0) {
      if (const auto* md = bundle.find(ref)) t = tlp_of_definition(*md);
    }
    if (rank(t) > rank(best)) best = t;
  }
  return best;
}

bj::array collect_iocs(const BundleView& bundle, int default_tlp) {
  const auto role_of = roles(bundle);
  const auto inherited = inherited_tlp(bundle);
  IocList list;
  for (const auto* o : bundle.objects()) {
    ObjectView v(*o);
    const int tlp_id = tlp_of_object(bundle, *o, inherited, default_tlp);
    if (v.type() == "indicator") {
      add_indicator(list, v, tlp_id);
    } else if (v.kind() == stix::Kind::kSco) {
      auto it = role_of.find(v.id());
      const int role = it == role_of.end() ? kNone : it->second;
      add_sco(list, v, role == (kSource | kDestination) ? kNone : role, tlp_id);
    }
  }
  return list.take();
}

}  // namespace atio::convert::iris
