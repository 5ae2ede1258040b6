// `x-atio-opensearch`: indexes documents in OpenSearch or Elasticsearch
// through the _bulk API (OpenSearch "Bulk" API reference; Elasticsearch
// docs-bulk): one POST /_bulk with an NDJSON body, an action line and a
// document line per document, ending in a newline.
//
// Authentication: the target's authentication_info: http-basic (user and
// password, OpenSearch's security plugin) or oauth2 whose secret is
// {"oauth_header": "ApiKey <base64 id:key>"} (Elasticsearch API keys).
//
// Operation index (the default; parameter: type, * required):
//   index*: string         the index every document goes to
//   documents*: array      of JSON objects
//   id_field: string       a document field whose value becomes the
//                          document's _id (re-indexing the same document
//                          then replaces it instead of adding a copy)
//   action: "index" | "create"  (default "index"; create refuses a
//                          document whose _id exists)
//   pipeline: string       an ingest pipeline (?pipeline=)
//   refresh: "true" | "false" | "wait_for"  (?refresh=)
//
// Retries: the whole request after 429, 5xx and connection errors (as every
// connector); and per document: _bulk answers 200 with a status per item,
// and items rejected with 429 (a full write queue) are sent again, alone,
// after the same backoff, within the step's timeout and the retry policy's
// attempt count, with Idempotency-Key "<key>:round-<n>" (other documents,
// another key). Other item errors are final.
//
// Outcome (besides connector.h's): outputs "indexed" (count), "failed"
// (count), "errors": [{"position": index in documents, "status",
// "type", "reason", "id"}], "rounds": number of _bulk requests. OK only when
// every document was indexed; otherwise kFailed "k of n documents not
// indexed: <first error>". out_args: [0] <- indexed, [1] <- errors.
#pragma once

#include "atio/actions/connectors/connector.h"

namespace atio::actions::connectors {

class OpenSearchCommand final : public ConnectorCommand {
 public:
  OpenSearchCommand(std::shared_ptr<RetrySender> sender, HttpApiOptions options);

 protected:
  void check_operation(const Operation& op, const bj::object& raw, const std::string& pointer,
                       json::FieldErrors* errors) const override;
  void run(std::shared_ptr<Call> call, Done done) override;
};

}  // namespace atio::actions::connectors
