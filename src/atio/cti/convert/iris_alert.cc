#include "atio/cti/convert/iris_alert.h"

#include <map>
#include <optional>

#include "atio/cti/convert/iris_iocs.h"
#include "atio/cti/convert/iris_signals.h"
#include "atio/cti/stix/object.h"
#include "atio/cti/stix/time.h"

namespace atio::convert::iris {

namespace {

using stix::Kind;
using stix::ObjectView;

bool is_notable(const ObjectView& v) {
  auto it = v.json().find("x_atio_notable");
  return it != v.json().end() && it->value().is_bool() && it->value().get_bool();
}

const bj::object* primary_object(const BundleView& b) {
  auto first = [&](auto pred) -> const bj::object* {
    for (const auto* o : b.objects()) {
      if (pred(ObjectView(*o))) return o;
    }
    return nullptr;
  };
  for (auto pred : std::initializer_list<bool (*)(const ObjectView&)>{
           [](const ObjectView& v) { return v.type() == "report"; },
           [](const ObjectView& v) { return v.type() == "observed-data" && is_notable(v); },
           [](const ObjectView& v) { return v.type() == "sighting"; },
           [](const ObjectView& v) { return v.type() == "indicator"; },
           [](const ObjectView& v) { return v.type() == "observed-data"; },
           // A named custom object is often what the bundle is about (an
           // attack-flow, ATT&CK's x-mitre-collection); an identity seldom is.
           [](const ObjectView& v) { return v.kind() == Kind::kCustom && !v.name().empty(); },
           [](const ObjectView& v) { return v.kind() == Kind::kSdo && v.type() != "identity"; },
           [](const ObjectView& v) { return v.kind() == Kind::kSdo; },
           [](const ObjectView&) { return true; }}) {
    if (const auto* o = first(pred)) return o;
  }
  return nullptr;
}

std::string value_text(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return {};
  if (it->value().is_string()) return std::string(it->value().get_string());
  if (it->value().is_int64()) return std::to_string(it->value().get_int64());
  if (it->value().is_uint64()) return std::to_string(it->value().get_uint64());
  return {};
}

std::string cap(std::string s, std::size_t n) {
  if (s.size() <= n) return s;
  s.resize(n);
  while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
  if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0x80)) s.pop_back();  // lead byte
  return s + "...";
}

std::string title_of(const BundleView& b, const ObjectView& p) {
  const std::string_view type = p.type();
  if (type == "observed-data" && p.json().contains("x_windows_event_id")) {
    std::string t = "Windows event " + value_text(p.json(), "x_windows_event_id");
    if (p.str("x_atio_notable_reason").empty() && !p.str("x_windows_channel").empty()) {
      t += " (" + std::string(p.str("x_windows_channel")) + ")";
    }
    if (!p.str("x_windows_computer").empty()) t += " on " + std::string(p.str("x_windows_computer"));
    if (!p.str("x_atio_notable_reason").empty()) {
      t += ": " + std::string(p.str("x_atio_notable_reason"));
    }
    return t;
  }
  if (type == "sighting") {
    const auto* of = b.find(p.str("sighting_of_ref"));
    std::string what = of ? std::string(ObjectView(*of).name()) : "";
    return "Sighting of " + (what.empty() ? std::string(p.str("sighting_of_ref")) : what);
  }
  if (!p.name().empty()) {
    if (type == "report" || type == "indicator" || p.kind() == Kind::kCustom) {
      return std::string(p.name());
    }
    return std::string(type) + ": " + std::string(p.name());
  }
  if (type == "indicator") return "Indicator: " + std::string(p.str("pattern"));
  if (type == "observed-data") {
    return "Observed data: " + std::to_string(p.strings("object_refs").size()) + " objects";
  }
  return "STIX bundle with " + std::to_string(b.objects().size()) + " objects";
}

std::string description_of(const BundleView& b, const ObjectView& p, std::string_view bundle_id) {
  std::string d(p.str("description"));
  if (!p.str("x_windows_message").empty()) {
    if (!d.empty()) d += "\n\n";
    d += p.str("x_windows_message");
  }
  std::map<std::string, int> counts;
  for (const auto* o : b.objects()) ++counts[std::string(ObjectView(*o).type())];
  std::string summary = "STIX ";
  summary += bundle_id.empty() ? "objects" : "bundle " + std::string(bundle_id);
  summary += ": " + std::to_string(b.objects().size()) + " objects (";
  bool first = true;
  for (const auto& [type, n] : counts) {
    summary += (first ? "" : ", ") + std::to_string(n) + " " + type;
    first = false;
  }
  summary += ").";
  return d.empty() ? summary : d + "\n\n" + summary;
}

std::string source_of(const BundleView& b, const ObjectView& p, const AlertOptions& options) {
  if (!options.source.empty()) return options.source;
  if (const auto* creator = b.find(p.str("created_by_ref"))) {
    if (!ObjectView(*creator).name().empty()) return std::string(ObjectView(*creator).name());
  }
  for (const auto* o : b.objects()) {
    ObjectView v(*o);
    if (v.type() == "identity" && v.str("identity_class") == "system" && !v.name().empty()) {
      return std::string(v.name());
    }
  }
  return "atio";
}

// The earliest valid timestamp of `key` over objects of `type`.
std::string earliest(const BundleView& b, std::string_view type, std::string_view key) {
  std::string best;
  stix::TimePoint best_t{};
  for (const auto* o : b.objects()) {
    ObjectView v(*o);
    stix::TimePoint t;
    if (v.type() != type || !stix::parse_time(v.str(key), &t)) continue;
    if (best.empty() || t < best_t) {
      best = std::string(v.str(key));
      best_t = t;
    }
  }
  return best;
}

std::string event_time_of(const BundleView& b, const ObjectView& p) {
  for (auto [type, key] : {std::pair{"observed-data", "first_observed"},
                           std::pair{"sighting", "first_seen"}, std::pair{"report", "published"},
                           std::pair{"indicator", "valid_from"}}) {
    if (auto t = earliest(b, type, key); !t.empty()) return t;
  }
  return std::string(p.created());
}

std::string source_link_of(const ObjectView& p) {
  if (const auto* refs = p.array("external_references")) {
    for (const auto& r : *refs) {
      if (r.is_object() && !ObjectView(r.get_object()).str("url").empty()) {
        return std::string(ObjectView(r.get_object()).str("url"));
      }
    }
  }
  return {};
}

bj::object context_of(const BundleView& b, const bj::object& primary) {
  bj::object ctx;
  auto take = [&](const bj::object& o) {
    for (const auto& kv : o) {
      if (kv.key().starts_with("x_atio_") && kv.key() != "x_atio_iris_id" && !ctx.contains(kv.key())) {
        ctx.emplace(kv.key(), kv.value());
      }
    }
  };
  take(primary);
  for (const auto* o : b.objects()) take(*o);
  return ctx;
}

std::optional<std::int64_t> iris_id_of(const BundleView& b, const bj::object& primary) {
  std::vector<const bj::object*> candidates = {&primary};
  for (const auto* o : b.objects()) {
    if (ObjectView(*o).type() == "report") candidates.push_back(o);
  }
  for (const auto* o : candidates) {
    auto it = o->find("x_atio_iris_id");
    if (it == o->end()) continue;
    const std::string s = value_text(*o, "x_atio_iris_id");
    if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() < 18) {
      if (auto n = std::stoll(s); n > 0) return n;
    }
  }
  return std::nullopt;
}

int asset_type_of(const ObjectView& infra, const AlertOptions& options) {
  const std::string_view platform = infra.str("x_atio_platform");
  if (platform == "windows") return asset_type::kWindowsComputer;
  if (platform == "linux") return asset_type::kLinuxComputer;
  if (platform == "macos" || platform == "darwin") return asset_type::kMacComputer;
  for (auto t : infra.strings("infrastructure_types")) {
    if (t == "firewall") return asset_type::kFirewall;
    if (t == "routers-switches") return asset_type::kRouter;
  }
  return options.default_asset_type_id;
}

bj::array assets_of(const BundleView& b, const AlertOptions& options) {
  bj::array assets;
  std::vector<std::string> seen;
  for (const auto* o : b.objects()) {
    ObjectView v(*o);
    if (v.type() != "infrastructure" || v.name().empty()) continue;
    const std::string name(v.name());
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
    seen.push_back(name);
    std::string ip(v.str("x_atio_ip"));
    for (const auto* r : b.objects()) {
      ObjectView rel(*r);
      if (!ip.empty()) break;
      if (rel.type() != "relationship" || rel.str("source_ref") != v.id()) continue;
      if (const auto* target = b.find(rel.str("target_ref"))) {
        ObjectView t(*target);
        if (t.type() == "ipv4-addr" || t.type() == "ipv6-addr") ip = std::string(t.str("value"));
      }
    }
    bj::object a;
    a.emplace("asset_name", name);
    a.emplace("asset_description", v.str("description").empty()
                                       ? "STIX infrastructure " + std::string(v.id())
                                       : std::string(v.str("description")));
    a.emplace("asset_type_id", asset_type_of(v, options));
    if (!ip.empty()) a.emplace("asset_ip", ip);
    if (auto dot = name.find('.'); dot != std::string::npos && dot + 1 < name.size()) {
      a.emplace("asset_domain", name.substr(dot + 1));
    }
    std::string tags;
    for (auto t : v.strings("infrastructure_types")) tags += (tags.empty() ? "" : ",") + std::string(t);
    if (!tags.empty()) a.emplace("asset_tags", tags);
    assets.emplace_back(std::move(a));
  }
  return assets;
}

}  // namespace

Result<bj::object> bundle_to_alert(const bj::object& bundle, const AlertOptions& options) {
  auto objects = bundle.find("objects");
  if (objects == bundle.end() || !objects->value().is_array()) {
    return Status(Code::kInvalidArgument, "bundle without an objects array");
  }
  const BundleView b(objects->value().get_array());
  const bj::object* primary = primary_object(b);
  if (primary == nullptr) return Status(Code::kInvalidArgument, "bundle without objects");
  const ObjectView p(*primary);
  const std::string_view bundle_id = ObjectView(bundle).id();

  bj::object alert;
  if (auto id = iris_id_of(b, *primary)) alert.emplace("alert_id", *id);
  alert.emplace("alert_title", cap(title_of(b, p), 250));
  alert.emplace("alert_description", description_of(b, p, bundle_id));
  alert.emplace("alert_source", source_of(b, p, options));
  const std::string ref(p.id().empty() ? bundle_id : p.id());
  if (!ref.empty()) alert.emplace("alert_source_ref", ref);
  if (auto link = source_link_of(p); !link.empty()) alert.emplace("alert_source_link", link);
  if (auto t = event_time_of(b, p); !t.empty()) alert.emplace("alert_source_event_time", t);
  alert.emplace("alert_severity_id", alert_severity(b));
  alert.emplace("alert_status_id", alert_status::kNew);
  alert.emplace("alert_customer_id", options.customer_id);
  alert.emplace("alert_classification_id", options.classification_id);
  if (auto tags = alert_tags(b); !tags.empty()) alert.emplace("alert_tags", tags);
  alert.emplace("alert_iocs", collect_iocs(b, options.default_tlp_id));
  alert.emplace("alert_assets", assets_of(b, options));
  if (auto ctx = context_of(b, *primary); !ctx.empty()) alert.emplace("alert_context", std::move(ctx));
  alert.emplace("alert_source_content", bundle);
  return alert;
}

}  // namespace atio::convert::iris
