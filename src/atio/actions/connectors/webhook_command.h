// `x-atio-webhook` (any HTTP endpoint that takes a JSON document) and
// `x-atio-chat` (Slack and Mattermost incoming webhooks).
//
// x-atio-webhook, operation send (the default; parameter: type, * required):
//   payload*: any JSON      the body: JSON, or a string sent as it is when
//                           content_type is not a JSON type
//   method: "POST" | "PUT" | "PATCH"  (default POST)
//   path: string            appended to the target's URL ("/hooks/soc")
//   content_type: string    default "application/json"
//   headers: object         extra headers, name -> list of values (as
//                           http-api's); credential headers are redacted in
//                           the journal
//   Credentials: the target's authentication_info (Authorization header).
//   out_args: [0] <- the answer (JSON, or text), [1] <- the status code.
//
// x-atio-chat, operation post (the default):
//   text*: string           the message (Slack mrkdwn / Mattermost Markdown)
//   channel, username, icon_emoji, icon_url: string   (overrides the hook
//                           allows)
//   blocks: array           Slack Block Kit blocks
//   attachments: array      Slack / Mattermost message attachments
//   props: object           Mattermost message props
//   An incoming webhook's URL is its credential. Keep it out of the
//   playbook: the target's address gives the host ("https://hooks.slack.com",
//   "https://chat.example.org") and its authentication_info (kms: true)
//   names a secret {"webhook_path": "/services/T…/B…/…"} (Slack) or
//   {"webhook_path": "/hooks/<id>"} (Mattermost). Without authentication_info
//   the target's URL is the hook's whole URL.
//   Both products answer 200 "ok"; an error is a 4xx with a short reason
//   (Slack: "invalid_payload", "channel_not_found"...; Mattermost: a JSON
//   message), shown in the step's error. Slack answers 429 with Retry-After
//   when a hook posts more than about one message a second; the retry
//   honours it.
//   out_args: [0] <- the answer's text, [1] <- the status code.
#pragma once

#include "atio/actions/connectors/connector.h"

namespace atio::actions::connectors {

class WebhookCommand final : public ConnectorCommand {
 public:
  WebhookCommand(std::shared_ptr<RetrySender> sender, HttpApiOptions options);

 protected:
  void check_operation(const Operation& op, const bj::object& raw, const std::string& pointer,
                       json::FieldErrors* errors) const override;
  void run(std::shared_ptr<Call> call, Done done) override;
};

class ChatCommand final : public ConnectorCommand {
 public:
  ChatCommand(std::shared_ptr<RetrySender> sender, HttpApiOptions options);

 protected:
  void run(std::shared_ptr<Call> call, Done done) override;
  Status resolve_endpoint(const cacao::Playbook& playbook, const cacao::AgentTarget& endpoint,
                          const std::string& purpose, Call* call) const override;
};

}  // namespace atio::actions::connectors
