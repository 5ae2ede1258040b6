#include "atio/actions/connectors/blocking_command.h"

#include "atio/actions/connectors/connector.h"
#include "atio/actions/http/http_api_request.h"

namespace atio::actions::connectors {

Result<std::string> net_address(const std::string& address, const cacao::Playbook& playbook,
                                const cacao::Step& step, std::string_view scheme,
                                std::string_view port, const std::string& missing) {
  if (!address.empty()) return address;
  const cacao::AgentTarget* target = http_api::find_definition(playbook, step, "net-address");
  if (target == nullptr) return Status(Code::kInvalidArgument, missing);
  const bj::object* a = json::get_object(target->raw, "address");
  if (std::string url = a ? http_api::first_address(*a, "url") : ""; !url.empty()) return url;
  ATIO_ASSIGN_OR_RETURN(std::string host, http_api::address_host(*target));
  return std::string(scheme) + "://" + host + ":" + std::string(port);
}

Outcome attempts_outcome(const Exchange& ex) {
  Outcome o;
  o.outputs["attempts"] = ex.attempts;
  if (!ex.gave_up.empty()) o.outputs["gave_up"] = ex.gave_up;
  if (!ex.response.body.empty()) o.outputs["reply"] = ex.response.body;
  const Status& s = ex.response.status;
  if (!s.is_ok()) o.status = Status(s.code(), s.message() + retries_note(ex));
  return o;
}

BlockingCommand::BlockingCommand(CommandSpec spec, BlockingServices services)
    : spec_(std::move(spec)), services_(std::move(services)) {}

void BlockingCommand::validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                               const cacao::Step& step, const std::string& pointer,
                               json::FieldErrors* errors) const {
  const Operation* op = check_params(spec_, cmd.raw, pointer, errors);
  if (op != nullptr) check_operation(*op, cmd.raw, playbook, step, pointer, errors);
}

void BlockingCommand::start(Invocation inv, Done done) {
  auto params = read_params(spec_, inv.command.raw);
  if (!params) {
    Outcome o;
    o.status = std::move(params).status().with_context(spec_.type);
    return done(std::move(o));
  }
  run(std::move(inv), std::move(params).value(), std::move(done));
}

void BlockingCommand::attempt(const Invocation& inv, Attempt attempt,
                              std::function<void(Exchange)> done) const {
  auto timeout = inv.timeout.count() > 0 ? inv.timeout : services_.options.default_timeout;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // Weak: a job must never hold the last reference to the pool that runs it
  // (its destructor joins the pool's threads).
  std::weak_ptr<BlockingPool> weak_pool = services_.pool;
  auto shared = std::make_shared<Attempt>(std::move(attempt));
  services_.retry->retry(
      [weak_pool, shared](std::chrono::milliseconds left,
                          std::function<void(HttpResponse)> answered) {
        auto pool = weak_pool.lock();
        if (!pool) {
          HttpResponse r;
          r.status = Status(Code::kAborted, "atio is shutting down");
          return answered(std::move(r));
        }
        pool->post([shared, left, answered = std::move(answered)](bool aborted) {
          HttpResponse r;
          if (aborted) {
            r.status = Status(Code::kAborted, "atio is shutting down");
          } else {
            r.status = (*shared)(left, &r.body);
          }
          answered(std::move(r));
        });
      },
      deadline, inv.cancel, std::move(done));
}

}  // namespace atio::actions::connectors
