#include "atio/store/step_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <map>

namespace atio::store {

namespace {

// The step id a key names: its last path segment without a "#n" repeat.
std::string_view step_id_of_key(std::string_view key) {
  if (auto slash = key.rfind('/'); slash != std::string_view::npos) key.remove_prefix(slash + 1);
  if (auto hash = key.find('#'); hash != std::string_view::npos) key = key.substr(0, hash);
  return key;
}

// The type a CACAO step id starts with ("action--..." -> "action").
std::string_view type_of_step_id(std::string_view id) {
  auto dashes = id.find("--");
  return dashes == std::string_view::npos ? std::string_view() : id.substr(0, dashes);
}

}  // namespace

std::string encode_step_record(StepRecord&& r) {
  bj::object o;
  o.reserve(11);
  o.emplace("key", r.step_key);
  // Left out when the key and the id say them already (the usual case).
  if (r.step_id != step_id_of_key(r.step_key)) o.emplace("step_id", r.step_id);
  if (r.step_type != type_of_step_id(r.step_id)) o.emplace("type", r.step_type);
  o.emplace("status", to_string(r.status));
  o.emplace("started_at", r.started_at_ms);
  if (r.finished_at_ms) o.emplace("finished_at", r.finished_at_ms);
  if (!r.inputs.empty()) o.emplace("inputs", std::move(r.inputs));
  if (!r.outputs.empty()) o.emplace("outputs", std::move(r.outputs));
  if (!r.variables.empty()) o.emplace("variables", std::move(r.variables));
  if (!r.branch.empty()) o.emplace("branch", r.branch);
  if (!r.error.empty()) o.emplace("error", r.error);
  return bj::serialize(o);
}

namespace {

std::string string_field(const bj::object& o, const char* name) {
  const bj::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t int_field(const bj::object& o, const char* name) {
  const bj::value* v = o.if_contains(name);
  return v && v->is_int64() ? v->get_int64() : 0;
}

bj::object object_field(bj::object& o, const char* name) {
  bj::value* v = o.if_contains(name);
  return v && v->is_object() ? std::move(v->get_object()) : bj::object();
}

}  // namespace

Status decode_step_records(std::string_view array_text, const std::string& execution_id,
                           std::vector<StepRecord>* out) {
  boost::system::error_code ec;
  bj::value v = bj::parse(array_text, ec);
  if (ec || !v.is_array()) {
    return Status(Code::kInternal, "journal of execution " + execution_id +
                                       ": a row is not a JSON array of step records");
  }
  for (auto& e : v.get_array()) {
    if (!e.is_object()) {
      return Status(Code::kInternal,
                    "journal of execution " + execution_id + ": a step record is not an object");
    }
    bj::object& o = e.get_object();
    StepRecord r;
    r.execution_id = execution_id;
    r.step_key = string_field(o, "key");
    r.step_id = o.contains("step_id") ? string_field(o, "step_id")
                                      : std::string(step_id_of_key(r.step_key));
    r.step_type = o.contains("type") ? string_field(o, "type")
                                     : std::string(type_of_step_id(r.step_id));
    if (r.step_key.empty() || !parse_step_status(string_field(o, "status"), &r.status)) {
      return Status(Code::kInternal, "journal of execution " + execution_id +
                                         ": a step record lacks its key or a known status");
    }
    r.started_at_ms = int_field(o, "started_at");
    r.finished_at_ms = int_field(o, "finished_at");
    r.inputs = object_field(o, "inputs");
    r.outputs = object_field(o, "outputs");
    r.variables = object_field(o, "variables");
    r.branch = string_field(o, "branch");
    r.error = string_field(o, "error");
    out->push_back(std::move(r));
  }
  return Status();
}

std::vector<StepRecord> latest_per_step(std::vector<StepRecord> records) {
  std::vector<StepRecord> out;
  std::map<std::string, std::size_t> at;
  for (auto& r : records) {
    auto [it, first] = at.emplace(r.step_key, out.size());
    if (first) {
      out.push_back(std::move(r));
    } else {
      out[it->second] = std::move(r);
    }
  }
  return out;
}

}  // namespace atio::store
