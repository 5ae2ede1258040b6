#include "atio/cti/convert/winlog.h"

#include "atio/core/json.h"
#include "atio/cti/convert/json_records.h"
#include "atio/cti/convert/winlog_event.h"
#include "atio/cti/convert/winlog_stix.h"

namespace atio::convert {

namespace {

class WinlogToStix : public Converter {
 public:
  Status convert(Input& in, Output& out, Report& report) const override {
    JsonRecords records(in);
    json::ParseLimits limits;
    limits.max_bytes = 64u << 20;
    for (;;) {
      std::string_view text;
      Location at;
      ATIO_ASSIGN_OR_RETURN(bool more, records.next(&text, &at));
      if (!more) return Status::ok();
      report.count_read();
      auto parsed = json::parse(text, limits);
      if (!parsed.is_ok()) {
        report.fail(in.name(), at, "invalid JSON", parsed.status().message());
        continue;
      }
      if (!parsed->is_object()) {
        report.skip(in.name(), at, "not a Windows event record", "not a JSON object");
        continue;
      }
      auto event = winlog::read_event(parsed->get_object());
      if (!event.is_ok()) {
        if (event.status().code() == Code::kNotFound) {
          report.skip(in.name(), at, "not a Windows event record");
        } else {
          report.fail(in.name(), at, "unusable Windows event", event.status().message());
        }
        continue;
      }
      ATIO_RETURN_IF_ERROR(out.write(winlog::event_to_bundle(*event)));
      report.count_converted();
      report.count_output();
    }
  }
};

}  // namespace

ConverterInfo winlog_to_stix_info() {
  ConverterInfo info;
  info.from = "winlog";
  info.to = "stix";
  info.description =
      "Windows event logs in JSON (NXLog/OTRF, evtx_dump, Winlogbeat) to STIX 2.1 "
      "observed-data bundles, one per event";
  info.create = [](const bj::object& options) -> Result<std::unique_ptr<Converter>> {
    if (!options.empty()) {
      return Status(Code::kInvalidArgument,
                    "winlog -> stix takes no options; got '" +
                        std::string(options.begin()->key()) + "'");
    }
    return std::unique_ptr<Converter>(new WinlogToStix());
  };
  return info;
}

}  // namespace atio::convert
