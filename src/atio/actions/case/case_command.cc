#include "atio/actions/case/case_command.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <set>

#include "atio/actions/step_input.h"
#include "atio/cti/stix/time.h"

namespace atio::actions {

namespace {

using Kind = CaseRequest::Kind;

const std::set<std::string_view> kProperties = {
    "action",      "detections", "bundle",      "title",       "severity",
    "correlation_key", "correlation_window_seconds", "use_case", "occurred_at",
    "detected_at", "stix_refs",  "external_ids", "cases",       "at"};

struct Spec {
  Kind kind = Kind::kOpen;
  std::string detections, bundle, cases;  // variable names
};

Result<Spec> read_spec(const bj::object& raw, std::string* field) {
  Spec spec;
  for (const auto& kv : raw) {
    const std::string_view k = kv.key();
    if (k == "type" || k == "description" || k == "command" || k == "version") continue;
    *field = std::string(k);
    if (!kProperties.count(k)) {
      return Status(Code::kInvalidArgument,
                    "unknown property (known: action, detections, bundle, title, severity, "
                    "correlation_key, correlation_window_seconds, use_case, occurred_at, "
                    "detected_at, stix_refs, external_ids, cases, at)");
    }
    const bj::value& v = kv.value();
    if (k == "stix_refs") {
      if (!v.is_array() || std::any_of(v.get_array().begin(), v.get_array().end(),
                                       [](const bj::value& x) { return !x.is_string(); })) {
        return Status(Code::kInvalidArgument, "stix_refs must be a list of strings");
      }
      continue;
    }
    if (k == "external_ids") {
      if (!v.is_object()) return Status(Code::kInvalidArgument, "external_ids must be an object");
      for (const auto& e : v.get_object()) {
        if (!e.value().is_string()) {
          *field = "external_ids/" + std::string(e.key());
          return Status(Code::kInvalidArgument, "an external id must be a string");
        }
      }
      continue;
    }
    if (k == "correlation_window_seconds") {
      if (!(v.is_int64() && v.get_int64() >= 0) && !v.is_uint64() && !v.is_string()) {
        return Status(Code::kInvalidArgument,
                      "correlation_window_seconds must be a number of seconds (0: while open)");
      }
      continue;
    }
    if (!v.is_string()) return Status(Code::kInvalidArgument, std::string(k) + " must be a string");
    const std::string text(v.get_string());
    if (k == "action") {
      if (text == "open" || text == "update") {
        spec.kind = Kind::kOpen;
      } else if (text == "acknowledge") {
        spec.kind = Kind::kAcknowledge;
      } else if (text == "respond") {
        spec.kind = Kind::kRespond;
      } else if (text == "link") {
        spec.kind = Kind::kLink;
      } else {
        return Status(Code::kInvalidArgument,
                      "action must be open, update, acknowledge, respond or link");
      }
    }
    if (k == "detections") spec.detections = text;
    if (k == "bundle") spec.bundle = text;
    if (k == "cases") spec.cases = text;
  }
  const bool open = spec.kind == Kind::kOpen;
  if (open && spec.detections.empty() && !raw.contains("title")) {
    *field = "title";
    return Status(Code::kInvalidArgument, "opening a case needs a title, or detections");
  }
  if (!open && (!spec.detections.empty() || !spec.bundle.empty())) {
    *field = spec.detections.empty() ? "bundle" : "detections";
    return Status(Code::kInvalidArgument, *field + " is used to open cases only");
  }
  if (open && !spec.cases.empty()) {
    *field = "cases";
    return Status(Code::kInvalidArgument,
                  "cases is used with acknowledge, respond and link only");
  }
  if (spec.kind == Kind::kLink && !raw.contains("external_ids")) {
    *field = "external_ids";
    return Status(Code::kInvalidArgument, "link needs external_ids: the tools' ids to link");
  }
  field->clear();
  return spec;
}

// "" -> 0; digits -> ms since the epoch; else an RFC 3339 timestamp.
Result<std::int64_t> parse_ms(const bj::value* v, const std::string& what) {
  if (v == nullptr || v->is_null()) return std::int64_t{0};
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  if (!v->is_string()) return Status(Code::kInvalidArgument, what + " is not a time");
  const std::string_view s = v->get_string();
  if (s.empty()) return std::int64_t{0};
  if (std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      s.size() < 16) {
    return static_cast<std::int64_t>(std::stoll(std::string(s)));
  }
  stix::TimePoint tp;
  if (!stix::parse_time(s, &tp)) {
    return Status(Code::kInvalidArgument,
                  what + " is not an RFC 3339 time or ms since the epoch: " + std::string(s));
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count();
}

std::string text(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// What every case of the step gets from the command's own properties.
Result<CaseRequest> common_request(const Invocation& inv, Kind kind) {
  const bj::object& raw = inv.command.raw;
  CaseRequest r;
  r.kind = kind;
  r.execution_id = inv.execution_id;
  r.playbook_id = inv.playbook ? inv.playbook->id : "";
  r.step_id = inv.step_id;
  r.title = text(raw, "title");
  r.severity = text(raw, "severity");
  r.correlation_key = text(raw, "correlation_key");
  r.use_case = text(raw, "use_case");
  if (const bj::value* w = raw.if_contains("correlation_window_seconds")) {
    if (w->is_string()) {
      ATIO_ASSIGN_OR_RETURN(std::int64_t s, parse_ms(w, "correlation_window_seconds"));
      r.window_ms = s * 1000;
    } else {
      r.window_ms = (w->is_int64() ? w->get_int64() : static_cast<std::int64_t>(w->get_uint64())) *
                    1000;
    }
  }
  ATIO_ASSIGN_OR_RETURN(r.occurred_at_ms, parse_ms(raw.if_contains("occurred_at"), "occurred_at"));
  ATIO_ASSIGN_OR_RETURN(r.detected_at_ms, parse_ms(raw.if_contains("detected_at"), "detected_at"));
  ATIO_ASSIGN_OR_RETURN(r.at_ms, parse_ms(raw.if_contains("at"), "at"));
  if (const bj::value* refs = raw.if_contains("stix_refs"); refs && refs->is_array()) {
    for (const auto& x : refs->get_array()) {
      if (x.is_string() && !x.get_string().empty()) r.stix_refs.emplace_back(x.get_string());
    }
  }
  if (const bj::value* ids = raw.if_contains("external_ids"); ids && ids->is_object()) {
    for (const auto& e : ids->get_object()) {
      if (e.value().is_string() && !e.value().get_string().empty()) {
        r.external_ids[std::string(e.key())] = std::string(e.value().get_string());
      }
    }
  }
  return r;
}

// A value as JSON: text is parsed (variables may hold JSON as a string).
Result<bj::value> as_json(const bj::value& v, const std::string& name) {
  if (!v.is_string()) return v;
  auto parsed = json::parse(v.get_string());
  if (!parsed.is_ok()) return Status(Code::kInvalidArgument, name + " is text that is not JSON");
  return std::move(*parsed);
}

// first_seen of the bundle's objects by id (the hosts a scanner reached).
std::map<std::string, std::string> first_seen_by_id(const bj::value& bundle) {
  std::map<std::string, std::string> out;
  auto scan = [&](const bj::value& b) {
    const bj::value* objects = b.is_object() ? b.get_object().if_contains("objects") : nullptr;
    if (objects == nullptr || !objects->is_array()) return;
    for (const auto& o : objects->get_array()) {
      if (!o.is_object()) continue;
      const std::string fs = text(o.get_object(), "first_seen");
      if (!fs.empty()) out[text(o.get_object(), "id")] = fs;
    }
  };
  if (bundle.is_array()) {
    for (const auto& b : bundle.get_array()) scan(b);
  } else {
    scan(bundle);
  }
  return out;
}

// One request per detection summary of x-atio-enrich.
Result<std::vector<CaseRequest>> detection_requests(
    const CaseRequest& common, const bj::value& detections,
    const std::map<std::string, std::string>& hosts) {
  std::vector<CaseRequest> out;
  auto one = [&](const bj::value& v) -> Status {
    if (!v.is_object()) return Status(Code::kInvalidArgument, "a detection is not an object");
    const bj::object& d = v.get_object();
    CaseRequest r = common;
    const bool vulnerability = text(d, "kind") == "vulnerability";
    std::string target = text(d, "target");
    if (const bj::value* a = d.if_contains("asset"); a && a->is_object()) {
      const std::string id = text(a->get_object(), "id");
      if (!id.empty()) target = id;
    }
    const std::string signature = text(d, "signature");
    if (r.correlation_key.empty()) {
      r.correlation_key = (vulnerability ? "vulnerability:" : "alert:") + signature + "|" + target;
      if (vulnerability && r.window_ms < 0) r.window_ms = 0;  // the same finding while open
    }
    if (r.title.empty()) {
      const std::string source = text(d, "source");
      r.title = text(d, "name") + (source.empty() ? "" : " from " + source) + " on " +
                text(d, "target");
    }
    if (r.severity.empty()) {
      const bj::value* s = d.if_contains("severity");
      r.score = s && s->is_number() ? s->to_number<double>() : 0;
    }
    const bj::value* time = d.if_contains("time");
    ATIO_ASSIGN_OR_RETURN(std::int64_t when, parse_ms(time, "the detection's time"));
    if (vulnerability) {
      // The report's time is when the scanner reported; its start on the
      // host is when it found the vulnerability there.
      if (r.detected_at_ms == 0) r.detected_at_ms = when;
      if (r.occurred_at_ms == 0) {
        auto h = hosts.find(text(d, "host_id"));
        if (h != hosts.end()) {
          bj::value fs = bj::string(h->second);
          ATIO_ASSIGN_OR_RETURN(r.occurred_at_ms, parse_ms(&fs, "the host's first_seen"));
        } else {
          r.occurred_at_ms = when;
        }
      }
    } else if (r.occurred_at_ms == 0) {
      r.occurred_at_ms = when;
    }
    for (const char* ref : {"anchor_id", "host_id"}) {
      const std::string id = text(d, ref);
      if (!id.empty()) r.stix_refs.push_back(id);
    }
    for (const char* tool : {"misp", "iris"}) {
      const std::string id = text(d, std::string(tool) + "_id");
      if (!id.empty() && !r.external_ids.count(tool)) r.external_ids[tool] = id;
    }
    r.detail = bj::object{{"detection_id", text(d, "detection_id")},
                          {"kind", vulnerability ? "vulnerability" : "alert"},
                          {"signature", signature},
                          {"target", text(d, "target")}};
    out.push_back(std::move(r));
    return Status();
  };
  if (detections.is_array()) {
    for (const auto& v : detections.get_array()) ATIO_RETURN_IF_ERROR(one(v));
  } else {
    ATIO_RETURN_IF_ERROR(one(detections));
  }
  return out;
}

}  // namespace

void CaseCommand::validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                           const cacao::Step& step, const std::string& pointer,
                           json::FieldErrors* errors) const {
  std::string field;
  auto spec = read_spec(cmd.raw, &field);
  if (!spec.is_ok()) {
    errors->push_back({field.empty() ? pointer : pointer + "/" + field, spec.status().message()});
    return;
  }
  check_step_variable(spec->detections, "detections", step, pointer, name(), false, errors);
  check_step_variable(spec->bundle, "bundle", step, pointer, name(), false, errors);
  check_step_variable(spec->cases, "cases", step, pointer, name(), false, errors);
}

void CaseCommand::start(Invocation inv, Done done) {
  Outcome outcome;
  auto finish = [&](Status st) {
    outcome.status = std::move(st);
    done(std::move(outcome));
  };
  std::string field;
  auto spec = read_spec(inv.command.raw, &field);
  if (!spec.is_ok()) return finish(spec.status().with_context(field));
  auto common = common_request(inv, spec->kind);
  if (!common.is_ok()) return finish(common.status().with_context("x-atio-case"));

  std::vector<CaseRequest> requests;
  bool listed = true;  // out_args are lists (else one id and one boolean)
  if (spec->kind != Kind::kOpen) {
    if (!spec->cases.empty()) {
      auto v = input_value(spec->cases, inv.in_args, name());
      if (!v.is_ok()) return finish(v.status());
      auto ids = as_json(**v, spec->cases);
      if (!ids.is_ok()) ids = **v;  // a plain id is not JSON text
      auto add = [&](const bj::value& x) {
        if (x.is_string() && !x.get_string().empty()) common->case_ids.emplace_back(x.get_string());
      };
      if (ids->is_array()) {
        for (const auto& x : ids->get_array()) add(x);
      } else {
        add(*ids);
      }
    }
    requests.push_back(std::move(*common));
  } else if (spec->detections.empty()) {
    listed = false;
    requests.push_back(std::move(*common));
  } else {
    auto raw = input_value(spec->detections, inv.in_args, name());
    if (!raw.is_ok()) return finish(raw.status());
    auto detections = as_json(**raw, spec->detections);
    if (!detections.is_ok()) return finish(detections.status());
    std::map<std::string, std::string> hosts;
    if (!spec->bundle.empty()) {
      if (const bj::value* b = inv.in_args.if_contains(spec->bundle); b && !b->is_null()) {
        auto bundle = as_json(*b, spec->bundle);
        if (!bundle.is_ok()) return finish(bundle.status());
        hosts = first_seen_by_id(*bundle);
      }
    }
    auto made = detection_requests(*common, *detections, hosts);
    if (!made.is_ok()) return finish(made.status().with_context(spec->detections));
    requests = std::move(*made);
  }

  bj::array cases, ids, fresh;
  for (const CaseRequest& r : requests) {
    auto answers = desk_.apply(r);
    if (!answers.is_ok()) return finish(answers.status().with_context("x-atio-case"));
    for (const CaseAnswer& a : *answers) {
      cases.push_back(bj::object{{"case_id", a.case_id},
                                 {"new", a.is_new},
                                 {"detection_count", a.detection_count},
                                 {"status", a.status}});
      ids.emplace_back(a.case_id);
      fresh.emplace_back(a.is_new);
    }
  }
  if (inv.step) {
    const auto& names = inv.step->out_args;
    const bool one = !listed && ids.size() == 1;
    if (!names.empty()) outcome.out_args[names[0]] = one ? ids[0] : bj::value(ids);
    if (names.size() > 1) outcome.out_args[names[1]] = one ? fresh[0] : bj::value(fresh);
  }
  outcome.outputs["cases"] = std::move(cases);
  return finish(Status::ok());
}

}  // namespace atio::actions
