#include "atio/core/json.h"
#include "atio/cti/convert/json_records.h"
#include "atio/cti/convert/stix_misp_reader.h"
#include "atio/cti/convert/stix_to_misp.h"

namespace atio::convert {

namespace {

// Input: STIX bundles (one per record: NDJSON, an array of bundles, or one
// bundle), each giving one MISP event; STIX objects that come outside a
// bundle (a bare array of objects) are gathered into one event at the end.
class StixToMispConverter final : public Converter {
 public:
  Status convert(Input& in, Output& out, Report& report) const override {
    JsonRecords records(in);
    bj::array loose;
    std::size_t index = 0;  // STIX objects read, for locations
    std::string_view text;
    Location at;
    auto emit = [&](const bj::value& stix, const Location& where) -> Status {
      auto result = stix_to_misp(stix);
      if (!result.is_ok()) {
        report.count_read();
        report.fail(in.name(), where, "not STIX", result.status().message());
        return Status::ok();
      }
      // One record per STIX object; those MISP has no place for are skipped by type.
      for (std::size_t i = 0; i < result->used; ++i, ++index) {
        report.count_read();
        report.count_converted();
      }
      for (const auto& [type, n] : result->unused) {
        for (std::size_t i = 0; i < n; ++i, ++index) {
          report.count_read();
          report.skip(in.name(), Location{where.line, index}, "no MISP counterpart", type);
        }
      }
      ATIO_RETURN_IF_ERROR(out.write(std::move(result->event)));
      report.count_output();
      return Status::ok();
    };
    for (;;) {
      ATIO_ASSIGN_OR_RETURN(bool more, records.next(&text, &at));
      if (!more) break;
      json::ParseLimits limits;
      limits.max_bytes = 512u << 20;
      limits.max_depth = 128;
      auto parsed = json::parse(text, limits);
      if (!parsed.is_ok()) {
        report.count_read();
        report.fail(in.name(), at, "invalid JSON", parsed.status().message());
        continue;
      }
      const bj::string* type =
          parsed->is_object() ? json::get_string(parsed->get_object(), "type") : nullptr;
      if (type != nullptr && *type != "bundle") {
        loose.push_back(std::move(*parsed));
        continue;
      }
      ATIO_RETURN_IF_ERROR(emit(*parsed, at));
    }
    if (!loose.empty()) ATIO_RETURN_IF_ERROR(emit(bj::value(std::move(loose)), Location{0, index}));
    return Status::ok();
  }
};

}  // namespace

Result<StixToMisp> stix_to_misp(const bj::value& stix) {
  const bj::array* objects = nullptr;
  if (stix.is_array()) {
    objects = &stix.get_array();
  } else if (const bj::string* type = stix.is_object() ? json::get_string(stix.get_object(), "type")
                                                      : nullptr;
             type != nullptr && *type == "bundle") {
    objects = json::get_array(stix.get_object(), "objects");
  }
  if (objects == nullptr) {
    return Status(Code::kInvalidArgument,
                  "not a STIX bundle ({\"type\": \"bundle\", \"objects\": [...]}) or an array "
                  "of STIX objects");
  }
  for (std::size_t i = 0; i < objects->size(); ++i) {
    const bj::value& v = (*objects)[i];
    if (!v.is_object() || json::get_string(v.get_object(), "id") == nullptr ||
        json::get_string(v.get_object(), "type") == nullptr) {
      return Status(Code::kInvalidArgument, "a STIX object needs a string id and type")
          .with_context("/objects/" + std::to_string(i));
    }
  }
  misp::EventReader reader(*objects);
  StixToMisp out;
  out.event = reader.read();
  out.objects = objects->size();
  out.used = reader.used();
  out.unused = reader.unused();
  return out;
}

ConverterInfo stix_to_misp_converter() {
  ConverterInfo info;
  info.from = "stix";
  info.to = "misp";
  info.description = "STIX 2.1 bundle to one MISP event (core format); STIX made from MISP comes "
                     "back as it was";
  info.create = [](const bj::object& options) -> Result<std::unique_ptr<Converter>> {
    if (!options.empty()) {
      return Status(Code::kInvalidArgument,
                    "option '" + std::string(options.begin()->key()) +
                        "': unknown (stix -> misp takes no options)");
    }
    return std::unique_ptr<Converter>(new StixToMispConverter());
  };
  return info;
}

}  // namespace atio::convert
