#include "atio/cti/convert/iris.h"

#include <boost/json/array.hpp>

#include "atio/core/json.h"
#include "atio/cti/convert/iris_alert.h"
#include "atio/cti/convert/json_records.h"
#include "atio/cti/stix/object.h"

namespace atio::convert {

namespace {

class StixToIris : public Converter {
 public:
  explicit StixToIris(iris::AlertOptions options) : options_(std::move(options)) {}

  Status convert(Input& in, Output& out, Report& report) const override {
    JsonRecords records(in);
    json::ParseLimits limits;
    limits.max_bytes = 64u << 20;
    limits.max_depth = 128;
    Loose loose;
    for (;;) {
      std::string_view text;
      Location at;
      ATIO_ASSIGN_OR_RETURN(bool more, records.next(&text, &at));
      if (!more) break;
      report.count_read();
      auto parsed = json::parse(text, limits);
      if (!parsed.is_ok()) {
        report.fail(in.name(), at, "invalid JSON", parsed.status().message());
        continue;
      }
      const bj::object* o = parsed->if_object();
      const std::string_view type = o ? stix::ObjectView(*o).type() : std::string_view();
      if (type == "bundle") {
        ATIO_RETURN_IF_ERROR(flush(loose, in, out, report));
        const auto* objects = stix::ObjectView(*o).array("objects");
        if (objects == nullptr || objects->empty()) {
          report.skip(in.name(), at, "bundle without objects");
          continue;
        }
        auto alert = iris::bundle_to_alert(*o, options_);
        if (!alert.is_ok()) {
          report.fail(in.name(), at, "no IRIS alert", alert.status().message());
          continue;
        }
        ATIO_RETURN_IF_ERROR(out.write(std::move(*alert)));
        report.count_converted();
        report.count_output();
      } else if (!type.empty() && !stix::ObjectView(*o).id().empty()) {
        loose.objects.emplace_back(std::move(*parsed));
        ++loose.records;
      } else {
        report.skip(in.name(), at, "not a STIX bundle or object",
                    o ? "no type and id" : "not a JSON object");
      }
    }
    return flush(loose, in, out, report);
  }

 private:
  struct Loose {
    bj::array objects;
    std::size_t records = 0;
  };

  // One alert for the objects that came outside a bundle.
  Status flush(Loose& loose, Input& in, Output& out, Report& report) const {
    if (loose.records == 0) return Status::ok();
    const std::size_t n = loose.records;
    bj::object bundle = stix::new_bundle(std::move(loose.objects));
    loose = Loose();
    auto alert = iris::bundle_to_alert(bundle, options_);
    if (!alert.is_ok()) {
      for (std::size_t i = 0; i < n; ++i) {
        report.fail(in.name(), Location{}, "no IRIS alert", alert.status().message());
      }
      return Status::ok();
    }
    ATIO_RETURN_IF_ERROR(out.write(std::move(*alert)));
    for (std::size_t i = 0; i < n; ++i) report.count_converted();
    report.count_output();
    return Status::ok();
  }

  iris::AlertOptions options_;
};

Result<int> int_option(const bj::value& v, std::string_view name, int min, int max) {
  if (v.is_int64() && v.get_int64() >= min && v.get_int64() <= max) {
    return static_cast<int>(v.get_int64());
  }
  if (v.is_uint64() && v.get_uint64() >= static_cast<std::uint64_t>(min) &&
      v.get_uint64() <= static_cast<std::uint64_t>(max)) {
    return static_cast<int>(v.get_uint64());
  }
  return Status(Code::kInvalidArgument, "option '" + std::string(name) + "' must be an integer from " +
                                            std::to_string(min) + " to " + std::to_string(max));
}

Result<iris::AlertOptions> parse_options(const bj::object& options) {
  iris::AlertOptions o;
  constexpr int kMax = 1 << 30;
  for (const auto& kv : options) {
    const std::string_view key = kv.key();
    if (key == "customer_id") {
      ATIO_ASSIGN_OR_RETURN(o.customer_id, int_option(kv.value(), key, 1, kMax));
    } else if (key == "classification_id") {
      ATIO_ASSIGN_OR_RETURN(o.classification_id, int_option(kv.value(), key, 1, kMax));
    } else if (key == "default_tlp_id") {
      ATIO_ASSIGN_OR_RETURN(o.default_tlp_id, int_option(kv.value(), key, 1, 5));
    } else if (key == "default_asset_type_id") {
      ATIO_ASSIGN_OR_RETURN(o.default_asset_type_id, int_option(kv.value(), key, 1, kMax));
    } else if (key == "source") {
      if (!kv.value().is_string() || kv.value().get_string().empty()) {
        return Status(Code::kInvalidArgument, "option 'source' must be a non-empty string");
      }
      o.source = kv.value().get_string();
    } else {
      return Status(Code::kInvalidArgument,
                    "unknown option '" + std::string(key) +
                        "' (known: customer_id, classification_id, source, default_tlp_id, "
                        "default_asset_type_id)");
    }
  }
  return o;
}

}  // namespace

ConverterInfo stix_to_iris_info() {
  ConverterInfo info;
  info.from = "stix";
  info.to = "iris";
  info.description = "STIX 2.1 bundles to DFIR-IRIS alerts (POST /api/v2/alerts), one per bundle";
  info.create = [](const bj::object& options) -> Result<std::unique_ptr<Converter>> {
    ATIO_ASSIGN_OR_RETURN(iris::AlertOptions o, parse_options(options));
    return std::unique_ptr<Converter>(new StixToIris(std::move(o)));
  };
  return info;
}

}  // namespace atio::convert
