#include "atio/actions/monitor/monitor_command.h"
#include "atio/core/clock.h"

#include <chrono>

#include "atio/actions/monitor/workflow_diff.h"

namespace atio::actions {

namespace {

struct Spec {
  std::string url;
  std::string api_key;
  std::string api_key_secret;  // the name of a secret holding the key
  std::string org_id;
};

Result<Spec> read_spec(const bj::object& raw, std::string* field) {
  Spec spec;
  for (const auto& kv : raw) {
    const std::string_view k = kv.key();
    if (k == "type" || k == "description" || k == "command" || k == "version") continue;
    *field = std::string(k);
    if (k != "url" && k != "api_key" && k != "api_key_secret" && k != "org_id") {
      return Status(Code::kInvalidArgument,
                    "unknown property (known: url, api_key, api_key_secret, org_id)");
    }
    if (!kv.value().is_string()) return Status(Code::kInvalidArgument, "must be a string");
    const std::string v(kv.value().get_string());
    if (k == "url") spec.url = v;
    if (k == "api_key") spec.api_key = v;
    if (k == "api_key_secret") spec.api_key_secret = v;
    if (k == "org_id") spec.org_id = v;
  }
  field->clear();
  if (!spec.api_key.empty() && !spec.api_key_secret.empty()) {
    *field = "api_key_secret";
    return Status(Code::kInvalidArgument, "give api_key or api_key_secret, not both");
  }
  if (spec.url.empty()) {
    *field = "url";
    return Status(Code::kInvalidArgument, "url is required: the orchestrator's base URL");
  }
  return spec;
}

bool is_variable(const std::string& s) { return s.starts_with("__") && s.find("__:value") != std::string::npos; }

}  // namespace

Result<std::optional<bj::value>> MemoryWorkflowStateStore::load(const std::string& key) {
  std::lock_guard<std::mutex> lk(mu_);
  if (const bj::value* v = states_.if_contains(key)) return std::optional<bj::value>(*v);
  return std::optional<bj::value>();
}

Status MemoryWorkflowStateStore::save(const std::string& key, bj::value state) {
  std::lock_guard<std::mutex> lk(mu_);
  states_[key] = std::move(state);
  return Status();
}

void MonitorCommand::validate(const cacao::Command& cmd, const cacao::Playbook&,
                              const cacao::Step&, const std::string& pointer,
                              json::FieldErrors* errors) const {
  std::string field;
  auto spec = read_spec(cmd.raw, &field);
  if (!spec.is_ok()) {
    errors->push_back({field.empty() ? pointer : pointer + "/" + field, spec.status().message()});
    return;
  }
  if (!is_variable(spec->url) && !spec->url.starts_with("http://") &&
      !spec->url.starts_with("https://")) {
    errors->push_back({pointer + "/url", "must be an http:// or https:// URL (or a variable)"});
  }
}

bj::object MonitorCommand::journal_view(const cacao::Command& cmd) const {
  bj::object o = cmd.raw;
  if (o.contains("api_key")) o["api_key"] = "[redacted]";
  return o;
}

void MonitorCommand::start(Invocation invocation, Done done) {
  std::string field;
  auto spec = read_spec(invocation.command.raw, &field);
  if (!spec.is_ok()) {
    Outcome o;
    o.status = spec.status().with_context(field);
    return done(std::move(o));
  }
  std::string base = spec->url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  HttpRequest req;
  req.url = base + "/api/v1/workflows";
  req.headers = {{"Accept", "application/json"}};
  if (!spec->api_key_secret.empty()) {
    auto key = secrets_ ? secrets_->reveal(spec->api_key_secret,
                                           "execution " + invocation.execution_id + " step " +
                                               invocation.step_id)
                        : Result<bj::value>(Status(Code::kUnavailable, "this atio has no secret store"));
    if (!key.is_ok() || !key->is_string()) {
      Outcome o;
      o.status = Status(key.is_ok() ? Code::kInvalidArgument : key.status().code(),
                        "api_key_secret " + spec->api_key_secret + ": " +
                            (key.is_ok() ? std::string("the secret must be a string (the key)")
                                         : key.status().message()));
      return done(std::move(o));
    }
    spec->api_key = std::string(key->get_string());
  }
  if (!spec->api_key.empty()) req.headers.push_back({"Authorization", "Bearer " + spec->api_key});
  if (!spec->org_id.empty()) req.headers.push_back({"Org-Id", spec->org_id});
  if (invocation.timeout.count() > 0) req.timeout = invocation.timeout;
  req.verify_tls = verify_tls_;
  req.cancel = invocation.cancel;
  std::vector<std::string> out_args =
      invocation.step ? invocation.step->out_args : std::vector<std::string>{};
  const std::string url = req.url;
  client_.send(std::move(req), [this, base, url, out_args = std::move(out_args),
                                done = std::move(done)](HttpResponse r) {
    Outcome o;
    if (!r.status.is_ok()) {
      o.status = r.status.with_context("GET " + url);
      return done(std::move(o));
    }
    if (r.http_status < 200 || r.http_status > 299) {
      o.outputs["status_code"] = r.http_status;
      o.status = Status(Code::kFailed, "HTTP " + std::to_string(r.http_status) + " from " + url);
      return done(std::move(o));
    }
    auto parsed = json::parse(r.body);
    if (!parsed.is_ok() || !parsed->is_array()) {
      o.status = Status(Code::kInvalidArgument,
                        "GET " + url + " did not answer a JSON array of workflows");
      return done(std::move(o));
    }
    const std::string key = "x-atio-monitor " + base;
    auto previous = state_.load(key);
    if (!previous.is_ok()) {
      o.status = previous.status().with_context("x-atio-monitor state");
      return done(std::move(o));
    }
    const bj::array* before = nullptr;
    if (*previous && (*previous)->is_object()) {
      if (const bj::value* w = (*previous)->as_object().if_contains("workflows"); w && w->is_array()) {
        before = &w->as_array();
      }
    }
    WorkflowComparison c = compare_workflows(before, parsed->as_array(), wall_ms());
    Status saved = state_.save(key, bj::object{{"url", base}, {"workflows", c.state}});
    if (!saved.is_ok()) {
      o.status = saved.with_context("x-atio-monitor state");
      return done(std::move(o));
    }
    o.outputs = bj::object{{"url", url},
                           {"workflows", c.workflow_data.size()},
                           {"created", c.created.size()},
                           {"modified", c.modified.size()},
                           {"deleted", c.deleted.size()},
                           {"baseline", before == nullptr}};
    if (!out_args.empty()) o.out_args[out_args[0]] = workflow_notification(c);
    if (out_args.size() > 1) o.out_args[out_args[1]] = static_cast<std::int64_t>(c.total());
    done(std::move(o));
  });
}

}  // namespace atio::actions
