#include "atio/cti/convert/iris_signals.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>
#include <set>
#include <vector>

#include "atio/cti/convert/iris_ids.h"
#include "atio/cti/stix/object.h"

namespace atio::convert::iris {

namespace {

using stix::ObjectView;

std::optional<double> number(const bj::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return std::nullopt;
}

std::optional<int> atio_severity(const bj::value& v) {
  if (v.is_string()) {
    std::string s(v.get_string());
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (s == "unspecified" || s == "unknown") return severity::kUnspecified;
    if (s == "informational" || s == "info" || s == "none") return severity::kInformational;
    if (s == "low") return severity::kLow;
    if (s == "medium" || s == "moderate") return severity::kMedium;
    if (s == "high") return severity::kHigh;
    if (s == "critical") return severity::kCritical;
    return std::nullopt;
  }
  auto n = number(v);
  if (!n || *n < 0 || *n > 10) return std::nullopt;
  if (*n == 0) return severity::kInformational;
  if (*n < 4) return severity::kLow;
  if (*n < 7) return severity::kMedium;
  if (*n < 9) return severity::kHigh;
  return severity::kCritical;
}

std::optional<int> suricata_severity(const bj::value& v) {
  auto n = number(v);
  if (!n || *n < 1) return std::nullopt;
  if (*n < 2) return severity::kHigh;
  if (*n < 3) return severity::kMedium;
  if (*n < 4) return severity::kLow;
  return severity::kInformational;
}

std::optional<int> confidence_severity(const bj::value& v) {
  auto n = number(v);
  if (!n || *n < 0 || *n > 100) return std::nullopt;
  if (*n == 0) return severity::kInformational;
  if (*n < 30) return severity::kLow;
  if (*n < 70) return severity::kMedium;
  return severity::kHigh;
}

std::optional<int> object_severity(const bj::object& o) {
  if (auto it = o.find("x_atio_severity"); it != o.end()) {
    if (auto s = atio_severity(it->value())) return s;
  }
  for (auto key : {"x_suricata_severity", "x_atio_suricata_severity"}) {
    if (auto it = o.find(key); it != o.end()) {
      if (auto s = suricata_severity(it->value())) return s;
    }
  }
  if (auto it = o.find("confidence"); it != o.end()) return confidence_severity(it->value());
  return std::nullopt;
}

bool notable(const bj::object& o) {
  auto it = o.find("x_atio_notable");
  return it != o.end() && it->value().is_bool() && it->value().get_bool();
}

class Tags {
 public:
  void add(std::string_view tag) {
    std::string t;
    for (char c : tag) t += c == ',' ? ' ' : c;
    while (!t.empty() && t.back() == ' ') t.pop_back();
    while (!t.empty() && t.front() == ' ') t.erase(t.begin());
    if (t.empty() || !seen_.insert(t).second) return;
    if (!out_.empty()) out_ += ',';
    out_ += t;
  }
  std::string take() { return std::move(out_); }

 private:
  std::set<std::string> seen_;
  std::string out_;
};

}  // namespace

int alert_severity(const BundleView& bundle) {
  std::optional<int> best;
  bool any_notable = false;
  for (const auto* o : bundle.objects()) {
    any_notable = any_notable || notable(*o);
    // IRIS ids grow with severity except Unspecified (1), the lowest here too.
    if (auto s = object_severity(*o); s && (!best || *s > *best)) best = s;
  }
  if (best) return *best;
  return any_notable ? severity::kMedium : severity::kUnspecified;
}

std::string alert_tags(const BundleView& bundle) {
  static const std::regex kTechnique(R"(T\d{4}(\.\d{3})?)");
  Tags tags;
  bool any_notable = false;
  for (const auto* o : bundle.objects()) {
    ObjectView v(*o);
    for (auto label : v.strings("labels")) tags.add(label);
    if (const auto* refs = v.array("external_references")) {
      for (const auto& r : *refs) {
        if (!r.is_object()) continue;
        ObjectView ref(r.get_object());
        const std::string id(ref.str("external_id"));
        if (ref.str("source_name").starts_with("mitre-") && std::regex_match(id, kTechnique)) {
          tags.add(id);
        }
      }
    }
    if (!v.str("x_atio_event_class").empty()) tags.add(v.str("x_atio_event_class"));
    any_notable = any_notable || notable(*o);
  }
  if (any_notable) tags.add("notable");
  return tags.take();
}

}  // namespace atio::convert::iris
