#include "atio/cti/convert/suricata.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>

#include <chrono>
#include <list>
#include <memory>
#include <unordered_map>

#include "atio/cti/convert/json_records.h"
#include "atio/cti/convert/suricata_alert.h"
#include "atio/cti/stix/time.h"

namespace atio::convert {

namespace {

// Context records kept per flow, least recently used first out, so memory
// stays bounded however long the input is.
class FlowContexts {
 public:
  explicit FlowContexts(std::size_t capacity) : capacity_(capacity) {}

  void remember(std::uint64_t flow_id, std::string_view member, const bj::value& value) {
    auto it = index_.find(flow_id);
    if (it == index_.end()) {
      if (index_.size() >= capacity_) {
        index_.erase(lru_.back().first);
        lru_.pop_back();
      }
      lru_.emplace_front(flow_id, suricata::FlowContext{});
      it = index_.emplace(flow_id, lru_.begin()).first;
    } else {
      lru_.splice(lru_.begin(), lru_, it->second);
    }
    it->second->second.members[member] = value;  // copied out of the record's storage
  }

  const suricata::FlowContext* find(std::uint64_t flow_id) const {
    auto it = index_.find(flow_id);
    return it == index_.end() ? nullptr : &it->second->second;
  }

 private:
  using Entry = std::pair<std::uint64_t, suricata::FlowContext>;
  std::size_t capacity_;
  std::list<Entry> lru_;
  std::unordered_map<std::uint64_t, std::list<Entry>::iterator> index_;
};

bool flow_id_of(const bj::object& record, std::uint64_t* id) {
  auto it = record.find("flow_id");
  if (it == record.end()) return false;
  if (it->value().is_uint64()) *id = it->value().get_uint64();
  else if (it->value().is_int64()) *id = static_cast<std::uint64_t>(it->value().get_int64());
  else return false;
  return true;
}

class SuricataToStix final : public Converter {
 public:
  explicit SuricataToStix(std::string sensor) : sensor_(std::move(sensor)) {}

  Status convert(Input& in, Output& out, Report& report) const override {
    JsonRecords records(in);
    FlowContexts contexts(65536);
    // Each record is parsed into a buffer that is reused: no allocation
    // per record once the buffer has grown to the largest record.
    unsigned char scratch[4096];
    bj::monotonic_resource mr(scratch, sizeof scratch);
    // Each bundle is written as text into a reused string.
    suricata::AlertWriter writer(sensor_);
    std::string bundle;
    bj::parser parser;
    std::string_view text;
    Location at;
    for (;;) {
      ATIO_ASSIGN_OR_RETURN(bool more, records.next(&text, &at));
      if (!more) return Status::ok();
      report.count_read();
      mr.release();
      parser.reset(bj::storage_ptr(&mr));
      boost::system::error_code ec;
      parser.write(text.data(), text.size(), ec);
      if (ec) {
        report.fail(in.name(), at, "invalid JSON", ec.message());
        continue;
      }
      const bj::value record_value = parser.release();
      if (!record_value.is_object()) {
        report.fail(in.name(), at, "not a JSON object");
        continue;
      }
      const bj::object& record = record_value.get_object();
      auto type_it = record.find("event_type");
      if (type_it == record.end() || !type_it->value().is_string()) {
        report.fail(in.name(), at, "event_type: required, a string");
        continue;
      }
      const std::string_view type = type_it->value().get_string();
      std::uint64_t flow_id = 0;
      const bool has_flow = flow_id_of(record, &flow_id);
      if (type != "alert") {
        if (has_flow && (type == "http" || type == "dns" || type == "tls" || type == "fileinfo")) {
          if (auto it = record.find(type); it != record.end() && it->value().is_object()) {
            contexts.remember(flow_id, type, it->value());
          }
          if (type == "fileinfo") {
            if (auto h = record.find("http"); h != record.end() && h->value().is_object()) {
              contexts.remember(flow_id, "http", h->value());
            }
          }
        }
        report.skip(in.name(), at, "not an alert", type);
        continue;
      }
      const std::string now = stix::format_time(std::chrono::system_clock::now());
      bundle.clear();
      Status written = writer.write(record, has_flow ? contexts.find(flow_id) : nullptr, now, &bundle);
      if (!written.is_ok()) {
        report.fail(in.name(), at, "unusable alert", written.message());
        continue;
      }
      ATIO_RETURN_IF_ERROR(out.write_json(bundle).with_context(Report::where(in.name(), at)));
      report.count_converted();
      report.count_output();
    }
  }

 private:
  std::string sensor_;
};

}  // namespace

ConverterInfo suricata_to_stix_info() {
  return ConverterInfo{
      "suricata", "stix",
      "Suricata EVE JSON (NDJSON or arrays): one STIX bundle per alert",
      [](const bj::object& options) -> Result<std::unique_ptr<Converter>> {
        std::string sensor = "suricata";
        for (const auto& kv : options) {
          if (kv.key() != "sensor") {
            return Status(Code::kInvalidArgument,
                          "option '" + std::string(kv.key()) + "': unknown (known: sensor)");
          }
          if (!kv.value().is_string() || kv.value().get_string().empty()) {
            return Status(Code::kInvalidArgument, "option 'sensor': must be a non-empty string");
          }
          sensor = std::string(kv.value().get_string());
        }
        return std::unique_ptr<Converter>(new SuricataToStix(std::move(sensor)));
      },
      /*valid_by_construction=*/true};
}

}  // namespace atio::convert
