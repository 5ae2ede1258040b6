#include "atio/actions/connectors/syslog_command.h"

#include <unistd.h>

#include "atio/actions/http/http_api_request.h"
#include "atio/audit/export.h"
#include "atio/core/clock.h"
#include "atio/core/syslog_message.h"
#include "atio/core/syslog_sender.h"

namespace atio::actions::connectors {

namespace {

using T = ParamType;

CommandSpec syslog_spec() {
  CommandSpec s;
  s.type = "x-atio-syslog";
  s.operations = {
      {"send",
       {{"message", T::kString, true},
        {"severity", T::kAny},
        {"facility", T::kAny},
        {"app_name", T::kString},
        {"msgid", T::kString},
        {"hostname", T::kString},
        {"structured_data", T::kObject},
        {"collector", T::kString}}},
  };
  s.default_operation = "send";
  return s;
}

// -1 when `v` is neither a known name nor a number in range.
int level(const bj::value& v, int (*by_name)(std::string_view)) {
  if (v.is_string()) return by_name(v.get_string());
  if (v.is_int64() || v.is_uint64()) return by_name(std::to_string(v.to_number<std::int64_t>()));
  return -1;
}

constexpr const char* kSeverityRule =
    "must be an RFC 5424 severity: emergency, alert, critical, error, warning, notice, "
    "informational, debug, or 0-7";
constexpr const char* kFacilityRule =
    "must be a syslog facility: kern, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, "
    "authpriv, ftp, ntp, audit, alert, clock, local0-local7, or 0-23";
constexpr const char* kSdNameRule =
    "is not an SD-NAME (1-32 printable ASCII characters other than '=', ' ', ']' and '\"')";

// The rules `sd` (structured_data) breaks, as (pointer below it, rule).
std::vector<std::pair<std::string, std::string>> sd_errors(const bj::object& sd) {
  std::vector<std::pair<std::string, std::string>> errors;
  for (const auto& element : sd) {
    const std::string id_ptr = json::pointer_join("", element.key());
    if (!valid_sd_name(element.key())) errors.push_back({id_ptr, "SD-ID " + std::string(kSdNameRule)});
    const bj::object* params = element.value().if_object();
    if (params == nullptr) {
      errors.push_back({id_ptr, "must be an object of PARAM-NAME -> value"});
      continue;
    }
    for (const auto& param : *params) {
      const std::string p = json::pointer_join(id_ptr, param.key());
      if (!valid_sd_name(param.key())) errors.push_back({p, "PARAM-NAME " + std::string(kSdNameRule)});
      const bj::value& v = param.value();
      if (!(v.is_string() || v.is_number() || v.is_bool())) {
        errors.push_back({p, "must be a string, a number or a boolean"});
      }
    }
  }
  return errors;
}

std::string text_of(const bj::value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::dump(v);
}

std::string host_name() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

}  // namespace

Result<std::string> syslog_collector(const std::string& collector, const cacao::Playbook& playbook,
                                     const cacao::Step& step) {
  ATIO_ASSIGN_OR_RETURN(
      std::string address,
      net_address(collector, playbook, step, "udp", "514",
                  "x-atio-syslog needs a collector parameter or a net-address target (address "
                  "url \"tls://siem.example.org:6514\", or a dname/ipv4 for UDP port 514)"));
  std::string scheme, host, port;
  ATIO_RETURN_IF_ERROR(parse_syslog_collector(address, &scheme, &host, &port));
  return address;
}

SyslogCommand::SyslogCommand(BlockingServices services)
    : BlockingCommand(syslog_spec(), std::move(services)) {}

void SyslogCommand::check_operation(const Operation&, const bj::object& raw,
                                    const cacao::Playbook& playbook, const cacao::Step& step,
                                    const std::string& pointer, json::FieldErrors* errors) const {
  auto literal = [&](std::string_view name) -> const bj::value* {
    const bj::value* v = raw.if_contains(name);
    if (v == nullptr || (v->is_string() && mentions_variable(v->get_string()))) return nullptr;
    return v;
  };
  if (const bj::value* v = literal("severity"); v && level(*v, syslog_severity) < 0) {
    errors->push_back({pointer + "/severity", kSeverityRule});
  }
  if (const bj::value* v = literal("facility"); v && level(*v, syslog_facility) < 0) {
    errors->push_back({pointer + "/facility", kFacilityRule});
  }
  if (const bj::object* sd = json::get_object(raw, "structured_data")) {
    for (auto& [where, rule] : sd_errors(*sd)) {
      errors->push_back({pointer + "/structured_data" + where, rule});
    }
  }
  const bj::string* collector = json::get_string(raw, "collector");
  if (collector != nullptr && mentions_variable(*collector)) return;
  auto address = syslog_collector(collector ? std::string(*collector) : "", playbook, step);
  if (!address) {
    errors->push_back({pointer + (collector ? "/collector" : ""), address.status().message()});
  }
}

void SyslogCommand::run(Invocation inv, Params p, Done done) {
  auto fail = [&](std::string message) {
    Outcome o;
    o.status = Status(Code::kInvalidArgument, "x-atio-syslog: " + message);
    done(std::move(o));
  };
  SyslogMessage m;
  m.severity = 5;
  m.facility = 1;
  if (const bj::value* v = p.get("severity")) {
    m.severity = level(*v, syslog_severity);
    if (m.severity < 0) return fail(std::string("severity ") + kSeverityRule);
  }
  if (const bj::value* v = p.get("facility")) {
    m.facility = level(*v, syslog_facility);
    if (m.facility < 0) return fail(std::string("facility ") + kFacilityRule);
  }
  if (const bj::value* sd = p.get("structured_data")) {
    auto broken = sd_errors(sd->get_object());
    if (!broken.empty()) {
      return fail("structured_data" + broken[0].first + " " + broken[0].second);
    }
    for (const auto& element : sd->get_object()) {
      SyslogMessage::Params params;
      for (const auto& param : element.value().get_object()) {
        params.emplace_back(std::string(param.key()), text_of(param.value()));
      }
      m.structured_data.emplace_back(std::string(element.key()), std::move(params));
    }
  }
  m.structured_data.push_back(
      {"atio@32473", {{"execution", inv.execution_id}, {"step", inv.step_id}}});
  m.timestamp = audit::rfc3339_ms(wall_ms());
  m.hostname = p.has("hostname") ? p.string("hostname") : host_name();
  m.app_name = p.has("app_name") ? p.string("app_name") : "atio";
  m.msgid = p.string("msgid");
  m.msg = p.string("message");
  auto collector = inv.playbook && inv.step
                       ? syslog_collector(p.string("collector"), *inv.playbook, *inv.step)
                       : syslog_collector(p.string("collector"), cacao::Playbook{}, cacao::Step{});
  if (!collector) return fail(collector.status().message());

  const std::string line = format_syslog(m);
  SyslogSenderOptions tls;
  tls.verify_tls = options().verify_tls;
  tls.ca_file = options().ca_file;
  std::vector<std::string> out_args = inv.step ? inv.step->out_args : std::vector<std::string>{};
  attempt(
      inv,
      [address = *collector, line, tls](std::chrono::milliseconds left, std::string*) mutable {
        tls.timeout = left;
        auto sender = SyslogSender::open(address, tls);
        if (!sender) return sender.status();
        return sender->send(line);
      },
      [address = *collector, line, out_args, done = std::move(done)](Exchange ex) {
        Outcome o = attempts_outcome(ex);
        o.outputs["collector"] = address;
        o.outputs["message"] = line;
        if (o.status.is_ok() && !out_args.empty()) o.out_args[out_args[0]] = line;
        done(std::move(o));
      });
}

}  // namespace atio::actions::connectors
