// The base of connectors that speak a protocol other than HTTP (syslog,
// SMTP): typed parameters (params.h) as every connector, attempts that block
// run on a BlockingPool (never on an engine worker), and retries by the
// connectors' RetrySender with the same backoff and step-timeout rules as
// HTTP connectors (backoff.h): an attempt that fails with kUnavailable (a
// refused connection, a TLS failure, an SMTP 4xx) is tried again.
//
// Outcome: status OK when an attempt succeeded; else the last attempt's
// error, with "(after N attempts: gave up, <why>)" when retries were made.
// outputs "attempts" and, when retries stopped early, "gave_up"; each command
// adds its own.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "atio/actions/action.h"
#include "atio/actions/connectors/blocking_pool.h"
#include "atio/actions/connectors/params.h"
#include "atio/actions/connectors/retry_sender.h"
#include "atio/actions/http/http_api_command.h"

namespace atio::actions::connectors {

struct BlockingServices {
  std::shared_ptr<RetrySender> retry;  // its timer runs the waits
  std::shared_ptr<BlockingPool> pool;  // runs the attempts
  HttpApiOptions options;              // default timeout, TLS, secret store
};

// Where a connector that is not HTTP sends: `address` when not empty; else
// the step's first net-address target (or its net-address agent), CACAO's
// type for "a device at a network address": its address.url[0] as written,
// else "<scheme>://<dname, ipv4 or ipv6>:<port>" (net-address has no port).
// kInvalidArgument `missing` when there is neither.
Result<std::string> net_address(const std::string& address, const cacao::Playbook& playbook,
                                const cacao::Step& step, std::string_view scheme,
                                std::string_view port, const std::string& missing);

// The outcome of a finished exchange of blocking attempts (see the header).
Outcome attempts_outcome(const Exchange& exchange);

class BlockingCommand : public CommandType {
 public:
  BlockingCommand(CommandSpec spec, BlockingServices services);

  std::string_view name() const override { return spec_.type; }

  // Parameters (params.h), then check_operation().
  void validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                const cacao::Step& step, const std::string& pointer,
                json::FieldErrors* errors) const override;
  // Reads the parameters (a command that breaks a rule fails inline with
  // kInvalidArgument naming it), then run().
  void start(Invocation invocation, Done done) override;

 protected:
  virtual void check_operation(const Operation& op, const bj::object& raw,
                               const cacao::Playbook& playbook, const cacao::Step& step,
                               const std::string& pointer, json::FieldErrors* errors) const {}
  // Runs the command; calls done exactly once.
  virtual void run(Invocation inv, Params params, Done done) = 0;

  // One blocking attempt: does its work within `left` and returns its status
  // (kUnavailable: worth another attempt); `detail` may be set to a text the
  // outcome shows as "reply" (e.g. the SMTP server's last reply).
  using Attempt = std::function<Status(std::chrono::milliseconds left, std::string* detail)>;
  // Runs `attempt` on the pool until it succeeds, fails for good, or the
  // invocation's timeout (or the default) comes; then `done` on any thread.
  void attempt(const Invocation& inv, Attempt attempt, std::function<void(Exchange)> done) const;

  const HttpApiOptions& options() const { return services_.options; }

 private:
  CommandSpec spec_;
  BlockingServices services_;
};

}  // namespace atio::actions::connectors
