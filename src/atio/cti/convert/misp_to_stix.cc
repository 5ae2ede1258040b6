#include "atio/cti/convert/misp_to_stix.h"

#include "atio/core/json.h"
#include "atio/cti/convert/misp_types.h"

namespace atio::convert {

namespace {

// The event inside {"Event": {...}} or a bare event; nullptr otherwise.
const bj::object* as_event(const bj::value& v) {
  if (!v.is_object()) return nullptr;
  const bj::object& o = v.get_object();
  if (const bj::object* e = json::get_object(o, "Event")) return e;
  if (o.contains("info") || (o.contains("uuid") && o.contains("Attribute") &&
                             !o.contains("type"))) {
    return &o;
  }
  return nullptr;
}

class MispToStixConverter final : public Converter {
 public:
  explicit MispToStixConverter(misp::ToStixOptions options) : options_(options) {}

  Status convert(Input& in, Output& out, Report& report) const override {
    ATIO_ASSIGN_OR_RETURN(std::string text, in.read_all());
    json::ParseLimits limits;
    limits.max_bytes = 512u << 20;
    limits.max_depth = 128;
    auto parsed = json::parse(text, limits);
    if (!parsed.is_ok()) {
      return Status(Code::kInvalidArgument, "not MISP JSON: " + parsed.status().to_string())
          .with_context(in.name());
    }
    auto result = misp_to_stix(*parsed, options_);
    if (!result.is_ok()) return result.status().with_context(in.name());
    // One record per MISP attribute: what a user counts in MISP.
    std::size_t index = 0;
    for (std::size_t i = 0; i < result->attribute_ids.size(); ++i) {
      report.count_read();
      report.count_converted();
      ++index;
    }
    for (const auto& p : result->problems) {
      report.count_read();
      report.fail(in.name(), Location{0, index++}, "unreadable MISP attribute", p);
    }
    ATIO_RETURN_IF_ERROR(out.write(std::move(result->bundle)));
    report.count_output();
    return Status::ok();
  }

 private:
  misp::ToStixOptions options_;
};

}  // namespace

Result<MispToStix> misp_to_stix(const bj::value& misp, const misp::ToStixOptions& options) {
  misp::StixWriter writer(options);
  MispToStix out;
  std::string bundle_uuid;
  const bj::value* root = &misp;
  if (root->is_object()) {
    if (const auto it = root->get_object().find("response"); it != root->get_object().end()) {
      root = &it->value();
    }
  }
  auto add_event = [&](const bj::object& e) {
    writer.event(e);
    ++out.events;
    bundle_uuid = out.events == 1 ? misp::text(e, "uuid") : "";
  };
  if (const bj::object* e = as_event(*root)) {
    add_event(*e);
  } else if (root->is_array()) {
    bj::array attributes;
    for (const bj::value& v : root->get_array()) {
      if (const bj::object* e = as_event(v)) {
        add_event(*e);
      } else if (v.is_object()) {
        attributes.push_back(v);
      }
    }
    if (!attributes.empty()) writer.attributes(attributes);
  } else if (root->is_object() && json::get_array(root->get_object(), "Attribute")) {
    writer.attributes(*json::get_array(root->get_object(), "Attribute"));
  } else {
    return Status(Code::kInvalidArgument,
                  "not a MISP event, event list or attribute collection (expected "
                  "{\"Event\": ...}, {\"response\": [...]} or {\"Attribute\": [...]})");
  }
  out.bundle = writer.bundle(bundle_uuid);
  out.attribute_ids = writer.attribute_ids();
  out.problems = writer.problems();
  return out;
}

ConverterInfo misp_to_stix_converter() {
  ConverterInfo info;
  info.from = "misp";
  info.to = "stix";
  info.description = "MISP events or attributes (core format) to a STIX 2.1 bundle (misp-stix mapping)";
  info.create = [](const bj::object& options) -> Result<std::unique_ptr<Converter>> {
    misp::ToStixOptions o;
    for (const auto& kv : options) {
      if (kv.key() == "unpublished_as_report" && kv.value().is_bool()) {
        o.unpublished_as_report = kv.value().get_bool();
      } else {
        return Status(Code::kInvalidArgument,
                      "option '" + std::string(kv.key()) +
                          "': unknown (misp -> stix takes unpublished_as_report: bool)");
      }
    }
    return std::unique_ptr<Converter>(new MispToStixConverter(o));
  };
  return info;
}

}  // namespace atio::convert
