// The `x-atio-monitor` command type: the reference system's timer-driven
// workflow monitor, for any orchestrator that answers Shuffle's workflow API
// (a remote Shuffle, or atio itself):
//
//   {"type": "x-atio-monitor", "url": "https://shuffle.example",
//    "api_key_secret": "shuffle"}
//
// The key comes from atio's secret store (`api_key_secret` names the secret,
// whose value is the key: docs/secrets.md), or is given as `api_key`
// (a variable, say) where there is no secret store.
//
// Each run lists the workflows with GET {url}/api/v1/workflows and
// `Authorization: Bearer {api_key}` (plus `Org-Id: {org_id}` when given),
// compares them with the previous run's workflow_data by content hash
// (workflow_diff.h: internal saves are not modifications), keeps the new
// state (per url) for the next run, and outputs the three event lists. The
// first run for a url is the baseline and reports nothing.
//
// out_args: [0] <- the notification {"notification": {...}, "workflow_data":
// [...]}; [1] <- the number of events (integer). outputs: url, workflows,
// created, modified, deleted, baseline.
// Status: kFailed for a non-2xx answer, kInvalidArgument when the answer is
// not a JSON array, the HTTP client's errors as they come. The api_key never
// appears in the journal.
#pragma once

#include <boost/json/value.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "atio/actions/action.h"
#include "atio/actions/http/http_client.h"
#include "atio/core/secret_source.h"

namespace atio::actions {

// Where x-atio-monitor keeps each url's state between runs (the store in
// atio serve; memory for `atio run` and tests). Thread-safe.
class WorkflowStateStore {
 public:
  virtual ~WorkflowStateStore() = default;
  virtual Result<std::optional<bj::value>> load(const std::string& key) = 0;
  virtual Status save(const std::string& key, bj::value state) = 0;
};

class MemoryWorkflowStateStore final : public WorkflowStateStore {
 public:
  Result<std::optional<bj::value>> load(const std::string& key) override;
  Status save(const std::string& key, bj::value state) override;

 private:
  std::mutex mu_;
  bj::object states_;
};

class MonitorCommand final : public CommandType {
 public:
  // REQUIRES: `client` and `state` outlive the command type and every run.
  // `secrets` may be null (then api_key_secret fails the step, saying so).
  MonitorCommand(HttpClient& client, WorkflowStateStore& state, bool verify_tls = true,
                 const SecretSource* secrets = nullptr)
      : client_(client), state_(state), verify_tls_(verify_tls), secrets_(secrets) {}

  std::string_view name() const override { return "x-atio-monitor"; }
  void validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                const cacao::Step& step, const std::string& pointer,
                json::FieldErrors* errors) const override;
  bj::object journal_view(const cacao::Command& cmd) const override;
  void start(Invocation invocation, Done done) override;

 private:
  HttpClient& client_;
  WorkflowStateStore& state_;
  bool verify_tls_;
  const SecretSource* secrets_;
};

}  // namespace atio::actions
