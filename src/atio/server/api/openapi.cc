#include "atio/server/api/openapi.h"

#include <algorithm>
#include <cctype>

#include "atio/core/text.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"

namespace atio::server {

namespace {

bj::object ref(const std::string& schema) {
  return bj::object{{"$ref", "#/components/schemas/" + schema}};
}

bj::object response(const std::string& description, const std::string& schema,
                    const std::string& content_type = "application/json") {
  bj::object r{{"description", description}};
  if (!schema.empty()) {
    r["content"] = bj::object{{content_type, bj::object{{"schema", ref(schema)}}}};
  }
  return r;
}

bj::object operation(const Route& route) {
  const RouteDoc& d = route.doc;
  bj::object op{{"operationId", d.operation_id}, {"summary", d.summary}};
  if (!d.tag.empty()) op["tags"] = bj::array{bj::value(d.tag)};
  // The audit log's action for this operation's requests (docs/audit.md).
  if (!route.audit.action.empty()) op["x-atio-audit-action"] = route.audit.action;
  // The permission the caller's role must grant (docs/security.md).
  if (route.auth == Auth::kApiKey) {
    op["x-atio-permission"] = std::string(auth::permission_name(route.permission));
  }

  bj::array params;
  std::string path = route.pattern;
  for (std::size_t pos = path.find('{'); pos != std::string::npos; pos = path.find('{', pos + 1)) {
    std::size_t end = path.find('}', pos);
    std::string name = path.substr(pos + 1, end - pos - 1);
    if (!name.empty() && name.back() == '+') name.pop_back();
    std::string description = "The " + name;
    for (const auto& p : d.path_params) {
      if (p.name == name) description = p.description;
    }
    params.push_back(bj::object{{"name", name},
                                {"in", "path"},
                                {"required", true},
                                {"description", description},
                                {"schema", bj::object{{"type", "string"}}}});
  }
  for (const auto& q : d.query) {
    params.push_back(bj::object{{"name", q.name},
                                {"in", "query"},
                                {"required", false},
                                {"description", q.description},
                                {"schema", bj::object{{"type", q.type}}}});
  }
  if (!params.empty()) op["parameters"] = std::move(params);

  if (!d.request_schema.empty()) {
    bj::object content;
    for (const auto& ct : d.request_content_types) {
      content[ct] = bj::object{{"schema", ref(d.request_schema)}};
    }
    op["requestBody"] = bj::object{{"required", !d.request_optional},
                                   {"content", std::move(content)}};
  }

  bj::object responses;
  for (const auto& r : d.responses) responses[std::to_string(r.status)] = response(r.description, r.schema, r.content_type);
  if (!d.request_schema.empty() && !responses.contains("400")) {
    responses["400"] = response("The body is not valid JSON (or deeper than the limit)", "Error");
  }
  if (!d.request_schema.empty() && !responses.contains("413")) {
    responses["413"] = response("The body is larger than the limit", "Error");
  }
  switch (route.auth) {
    case Auth::kNone:
      op["security"] = bj::array();
      break;
    case Auth::kApiKey:
      op["security"] = bj::array{bj::object{{"bearerAuth", bj::array()}},
                                 bj::object{{"apiKeyHeader", bj::array()}},
                                 bj::object{{"sessionCookie", bj::array()}}};
      if (!responses.contains("401")) {
        responses["401"] = response("Missing, wrong, expired or revoked API key or session", "Error");
      }
      if (!responses.contains("403")) {
        responses["403"] = response("The caller's role does not grant " +
                                        std::string(auth::permission_name(route.permission)) +
                                        ", or a session request lacks its X-CSRF-Token",
                                    "Error");
      }
      break;
    case Auth::kHook:
      op["security"] = bj::array{bj::object{{"hookBearer", bj::array()}},
                                 bj::object{{"hookToken", bj::array()}},
                                 bj::object{{"hookSignature", bj::array()}}};
      break;
  }
  responses["default"] = response("An error (see Error)", "Error");
  op["responses"] = std::move(responses);
  return op;
}

}  // namespace

std::string openapi_path(const std::string& pattern) {
  std::string out = pattern;
  for (std::size_t pos; (pos = out.find("+}")) != std::string::npos;) out.erase(pos, 1);
  return out;
}

bj::object openapi_document(const Router& router, const std::string& version) {
  bj::object paths;
  for (const Route& route : router.routes()) {
    bj::value& item = paths[openapi_path(route.pattern)];
    if (!item.is_object()) item = bj::object();
    item.get_object()[ascii_lower(route.method)] = operation(route);
  }
  bj::object security{
      {"bearerAuth", bj::object{{"type", "http"}, {"scheme", "bearer"},
                                {"description", "An atio API key"}}},
      {"apiKeyHeader", bj::object{{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"},
                                  {"description", "An atio API key"}}},
      {"sessionCookie",
       bj::object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "atio_session"},
                  {"description", "A UI session (POST /api/v1/session). Requests that change "
                                  "something must also send X-CSRF-Token: the csrf_token "
                                  "the login answered"}}},
      {"hookBearer", bj::object{{"type", "http"}, {"scheme", "bearer"},
                                {"description", "The token of a hook with auth \"token\""}}},
      {"hookToken", bj::object{{"type", "apiKey"}, {"in", "header"}, {"name", "X-Atio-Token"},
                               {"description", "The token of a hook with auth \"token\""}}},
      {"hookSignature",
       bj::object{{"type", "apiKey"}, {"in", "header"}, {"name", "X-Atio-Signature"},
                  {"description", "For hooks with auth \"hmac\": sha256=<lower-case hex "
                                  "HMAC-SHA256 of the raw body, keyed with the hook's secret>"}}}};
  return bj::object{
      {"openapi", "3.0.3"},
      {"info", bj::object{{"title", "atio API"},
                          {"version", version},
                          {"description",
                           "Security orchestration with OASIS CACAO 2.0 playbooks: playbooks, "
                           "executions, manual steps, webhooks and schedules. Errors are "
                           "{\"error\":{\"code\",\"message\",\"errors\":[{\"pointer\","
                           "\"message\"}]}}."}}},
      {"servers", bj::array{bj::object{{"url", "/"}}}},
      {"paths", std::move(paths)},
      {"components", bj::object{{"schemas", openapi_schemas()}, {"securitySchemes", std::move(security)}}}};
}

void add_openapi_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .pattern = "/api/v1/openapi.json",
              .auth = Auth::kNone,
              .permission = Permission::kNone,
              .doc = {.operation_id = "getOpenApi",
                      .summary = "This OpenAPI 3.0 document",
                      .tag = "meta",
                      .responses = {{200, "The document", "OpenApiDocument"}}},
              .handler = sync_handler([&router, &ctx](Request&) {
                return json_response(200, openapi_document(router, ctx.version));
              })});
}

}  // namespace atio::server
