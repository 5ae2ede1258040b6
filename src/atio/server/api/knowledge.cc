// /api/v1/assets, /api/v1/policies, /api/v1/risk-model, /api/v1/detections:
// what enrichment knows (atio/cti/enrich), kept in the store.
#include "atio/core/ids.h"
#include "atio/cti/stix/time.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/audit_trail.h"
#include "atio/audit/json_diff.h"

namespace atio::server {

namespace {

Response not_configured() {
  return error_response(503, "unavailable", "this server has no enrichment knowledge store");
}

// One asset, a JSON array, {"assets": [...]}, or CSV (Content-Type text/csv).
Result<std::vector<enrich::Asset>> read_assets(ApiContext& ctx, const Request& request,
                                               json::FieldErrors* errors) {
  if (request.header("content-type").starts_with("text/csv")) {
    if (request.body.size() > ctx.limits.max_body_bytes) {
      return Status(Code::kPayloadTooLarge, "the CSV is larger than the body limit");
    }
    return enrich::parse_assets_csv(request.body, errors);
  }
  auto body = parse_json(request.body, ctx.limits);
  if (!body.is_ok()) return body.status();
  if (body->is_object() && !body->get_object().contains("assets")) {
    auto a = enrich::parse_asset(*body, "", errors);
    if (!a) return Status(Code::kInvalidArgument, "the asset is not valid");
    return std::vector<enrich::Asset>{std::move(*a)};
  }
  return enrich::parse_assets_json(*body, errors);
}

Response create_assets(ApiContext& ctx, Request& request) {
  if (ctx.knowledge == nullptr) return not_configured();
  json::FieldErrors errors;
  auto assets = read_assets(ctx, request, &errors);
  if (!assets.is_ok()) {
    if (!errors.empty()) return unprocessable("invalid_assets", "the assets are not valid", errors);
    return json_error_response(assets.status());
  }
  if (assets->empty()) {
    return unprocessable("invalid_assets", "no asset given", {{"", "give at least one asset"}});
  }
  std::vector<store::WriteOp> audit;
  bj::array ids;
  for (const auto& a : *assets) ids.push_back(bj::value(a.id));
  add_audit(request, audit, bj::object{{"asset_ids", std::move(ids)}});
  Status st = ctx.knowledge->put_assets(*assets, std::move(audit));
  if (!st.is_ok()) return error_response(st);
  bj::array out;
  for (const auto& a : *assets) out.push_back(a.to_json());
  return json_response(201, bj::object{{"assets", std::move(out)}});
}

Response list_assets(ApiContext& ctx) {
  if (ctx.knowledge == nullptr) return not_configured();
  bj::array out;
  for (const auto& a : ctx.knowledge->snapshot()->assets.assets()) out.push_back(a.to_json());
  return json_response(200, bj::object{{"assets", std::move(out)}});
}

const enrich::Asset* find_asset(ApiContext& ctx, const std::string& id,
                                std::shared_ptr<const enrich::KnowledgeSnapshot>* hold) {
  *hold = ctx.knowledge->snapshot();
  for (const auto& a : (*hold)->assets.assets()) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

Response get_asset(ApiContext& ctx, const std::string& id) {
  if (ctx.knowledge == nullptr) return not_configured();
  std::shared_ptr<const enrich::KnowledgeSnapshot> hold;
  const enrich::Asset* a = find_asset(ctx, id, &hold);
  if (a == nullptr) return error_response(404, "not_found", "asset " + id + " not found");
  return json_response(200, a->to_json());
}

Response put_asset(ApiContext& ctx, Request& request, const std::string& id) {
  if (ctx.knowledge == nullptr) return not_configured();
  auto body = parse_json(request.body, ctx.limits);
  if (!body.is_ok()) return json_error_response(body.status());
  json::FieldErrors errors;
  if (!is_uuid(id)) errors.push_back({"/id", "the asset id in the path must be a UUID"});
  if (body->is_object()) {
    if (const bj::value* given = body->get_object().if_contains("id");
        given && (!given->is_string() || given->get_string() != id)) {
      errors.push_back({"/id", "must be the id in the path (or left out)"});
    }
  }
  auto a = enrich::parse_asset(*body, "", &errors);
  if (!a || !errors.empty()) return unprocessable("invalid_asset", "the asset is not valid", errors);
  a->id = id;
  std::vector<store::WriteOp> audit;
  add_audit(request, audit, bj::object{{"name", a->name}});
  Status st = ctx.knowledge->put_assets({*a}, std::move(audit));
  if (!st.is_ok()) return error_response(st);
  return json_response(200, a->to_json());
}

Response delete_asset(ApiContext& ctx, Request& request, const std::string& id) {
  if (ctx.knowledge == nullptr) return not_configured();
  std::vector<store::WriteOp> audit;
  add_audit(request, audit);
  Status st = ctx.knowledge->delete_asset(id, std::move(audit));
  if (!st.is_ok()) return error_response(st);
  return empty_response(204);
}

Response get_policies(ApiContext& ctx) {
  if (ctx.knowledge == nullptr) return not_configured();
  return json_response(200, bj::object{{"policies", ctx.knowledge->policies_document()}});
}

Response put_policies(ApiContext& ctx, Request& request) {
  if (ctx.knowledge == nullptr) return not_configured();
  auto body = parse_json(request.body, ctx.limits);
  if (!body.is_ok()) return json_error_response(body.status());
  json::FieldErrors errors;
  auto parsed = enrich::parse_policies(*body, &errors);
  if (!parsed.is_ok()) return unprocessable("invalid_policies", "the policies are not valid", errors);
  const bj::value list = body->is_object() ? body->get_object().at("policies") : *body;
  std::vector<store::WriteOp> audit;
  add_audit(request, audit,
            bj::object{{"diff", audit::json_diff(ctx.knowledge->policies_document(), list)}});
  Status st = ctx.knowledge->set_policies(list, std::move(audit));
  if (!st.is_ok()) return error_response(st);
  return json_response(200, bj::object{{"policies", list}});
}

Response get_risk_model(ApiContext& ctx) {
  if (ctx.knowledge == nullptr) return not_configured();
  return json_response(200, bj::object{{"configured", ctx.knowledge->risk_model_document()},
                                       {"effective", ctx.knowledge->snapshot()->risk.to_json()}});
}

Response put_risk_model(ApiContext& ctx, Request& request) {
  if (ctx.knowledge == nullptr) return not_configured();
  auto body = parse_json(request.body, ctx.limits);
  if (!body.is_ok()) return json_error_response(body.status());
  auto model = enrich::RiskModel::from_json(*body);
  if (!model.is_ok()) {
    // Messages read "risk/<member>...: rule" or "risk: rule".
    const std::string& m = model.status().message();
    const auto colon = m.find(": ");
    std::string pointer;
    if (m.starts_with("risk/") && colon != std::string::npos) pointer = m.substr(4, colon - 4);
    return unprocessable("invalid_risk_model", "the risk model is not valid",
                         {{pointer, colon == std::string::npos ? m : m.substr(colon + 2)}});
  }
  std::vector<store::WriteOp> audit;
  add_audit(request, audit,
            bj::object{{"diff", audit::json_diff(ctx.knowledge->risk_model_document(), *body)}});
  Status st = ctx.knowledge->set_risk_model(*body, std::move(audit));
  if (!st.is_ok()) return error_response(st);
  return get_risk_model(ctx);
}

bj::object detection_json(const store::SightingRecord& v) {
  return bj::object{{"detection_id", v.detection_id},
                    {"first_seen", v.first_seen},
                    {"last_seen", v.last_seen},
                    {"count", v.count},
                    {"asset_id", v.asset_id.empty() ? bj::value(nullptr) : bj::value(v.asset_id)},
                    {"importance", v.importance},
                    {"external_ids", v.external_ids}};
}

Response get_detection(ApiContext& ctx, const std::string& id) {
  auto s = ctx.store->get_sighting(id);
  if (!s.is_ok()) return error_response(s.status());
  if (!*s) return error_response(404, "not_found", "detection " + id + " has not been seen");
  return json_response(200, detection_json(**s));
}

// The feed of detections, most recently seen first (what a dashboard shows).
Response list_detections(ApiContext& ctx, Request& request) {
  std::int64_t limit = 100;
  Response error;
  if (!integer_query(request, "limit", 1, 1000, &limit, &error)) return error;
  std::string since;
  if (auto q = request.query_param("since")) {
    stix::TimePoint t;
    if (!stix::parse_time(*q, &t)) {
      return query_error("since", "must be an RFC 3339 time, e.g. 2026-11-30T00:00:00Z");
    }
    since = stix::format_time(t);
  }
  auto rows = ctx.store->recent_sightings(since, limit);
  if (!rows.is_ok()) return error_response(rows.status());
  bj::array out;
  for (const auto& r : *rows) out.push_back(detection_json(r));
  return json_response(200, bj::object{{"detections", std::move(out)}});
}

const std::vector<ParamDoc> kAssetId = {{"id", "string", "The asset id (uuid)"}};

}  // namespace

void add_knowledge_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "POST",
              .pattern = "/api/v1/assets",
              .permission = Permission::kKnowledgeWrite,
              .doc = {.operation_id = "createAssets",
                      .summary = "Add or replace assets (by id): one asset, a JSON array, "
                                 "{\"assets\": [...]}, or CSV with Content-Type text/csv; all or "
                                 "nothing, every problem listed",
                      .tag = "enrichment",
                      .request_schema = "AssetInput",
                      .responses = {{201, "Stored", "AssetList"},
                                    {422, "The assets are not valid", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return create_assets(ctx, r); }),
              .audit = {"asset.create", "asset", ""}});
  router.add({.method = "GET",
              .pattern = "/api/v1/assets",
              .permission = Permission::kKnowledgeRead,
              .doc = {.operation_id = "listAssets",
                      .summary = "The asset inventory",
                      .tag = "enrichment",
                      .responses = {{200, "The assets", "AssetList"}}},
              .handler = sync_handler([&ctx](Request&) { return list_assets(ctx); })});
  router.add({.method = "GET",
              .pattern = "/api/v1/assets/{id}",
              .permission = Permission::kKnowledgeRead,
              .doc = {.operation_id = "getAsset",
                      .summary = "One asset",
                      .tag = "enrichment",
                      .path_params = kAssetId,
                      .responses = {{200, "The asset", "Asset"}, {404, "No such asset", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return get_asset(ctx, r.param("id")); })});
  router.add({.method = "PUT",
              .pattern = "/api/v1/assets/{id}",
              .permission = Permission::kKnowledgeWrite,
              .doc = {.operation_id = "putAsset",
                      .summary = "Create or replace one asset",
                      .tag = "enrichment",
                      .path_params = kAssetId,
                      .request_schema = "Asset",
                      .responses = {{200, "Stored", "Asset"},
                                    {422, "The asset is not valid", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return put_asset(ctx, r, r.param("id")); }),
              .audit = {"asset.update", "asset", "id"}});
  router.add({.method = "DELETE",
              .pattern = "/api/v1/assets/{id}",
              .permission = Permission::kKnowledgeWrite,
              .doc = {.operation_id = "deleteAsset",
                      .summary = "Delete an asset",
                      .tag = "enrichment",
                      .path_params = kAssetId,
                      .responses = {{204, "Deleted", ""}, {404, "No such asset", "Error"}}},
              .handler = sync_handler(
                  [&ctx](Request& r) { return delete_asset(ctx, r, r.param("id")); }),
              .audit = {"asset.delete", "asset", "id"}});
  router.add({.method = "GET",
              .pattern = "/api/v1/policies",
              .permission = Permission::kKnowledgeRead,
              .doc = {.operation_id = "getPolicies",
                      .summary = "The organisation's security policies (enrichment rules)",
                      .tag = "enrichment",
                      .responses = {{200, "The policies", "Policies"}}},
              .handler = sync_handler([&ctx](Request&) { return get_policies(ctx); })});
  router.add({.method = "PUT",
              .pattern = "/api/v1/policies",
              .permission = Permission::kKnowledgeWrite,
              .doc = {.operation_id = "putPolicies",
                      .summary = "Replace the policies (an array or {\"policies\": [...]})",
                      .tag = "enrichment",
                      .request_schema = "Policies",
                      .responses = {{200, "Stored", "Policies"},
                                    {422, "The policies are not valid", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return put_policies(ctx, r); }),
              .audit = {"policies.update", "policies", ""}});
  router.add({.method = "GET",
              .pattern = "/api/v1/risk-model",
              .permission = Permission::kKnowledgeRead,
              .doc = {.operation_id = "getRiskModel",
                      .summary = "The risk model as configured and as in effect (with defaults)",
                      .tag = "enrichment",
                      .responses = {{200, "The risk model", "RiskModel"}}},
              .handler = sync_handler([&ctx](Request&) { return get_risk_model(ctx); })});
  router.add({.method = "PUT",
              .pattern = "/api/v1/risk-model",
              .permission = Permission::kKnowledgeWrite,
              .doc = {.operation_id = "putRiskModel",
                      .summary = "Replace the risk model configuration",
                      .tag = "enrichment",
                      .request_schema = "RiskModelConfig",
                      .responses = {{200, "Stored", "RiskModel"},
                                    {422, "The configuration is not valid", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return put_risk_model(ctx, r); }),
              .audit = {"risk_model.update", "risk_model", ""}});
  router.add({.method = "GET",
              .pattern = "/api/v1/detections",
              .permission = Permission::kKnowledgeRead,
              .doc = {.operation_id = "listDetections",
                      .summary = "The feed of detections, most recently seen first: "
                                 "?since=<RFC 3339> and ?limit= (1-1000, default 100)",
                      .tag = "enrichment",
                      .responses = {{200, "The detections", "DetectionList"},
                                    {400, "A bad query parameter", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return list_detections(ctx, r); })});
  router.add({.method = "GET",
              .pattern = "/api/v1/detections/{id}",
              .permission = Permission::kKnowledgeRead,
              .doc = {.operation_id = "getDetection",
                      .summary = "A detection's sightings (first/last seen, count), asset, "
                                 "importance and the ids other tools gave it",
                      .tag = "enrichment",
                      .path_params = {{"id", "string", "The detection id (uuid)"}},
                      .responses = {{200, "The detection", "Detection"},
                                    {404, "Never seen", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return get_detection(ctx, r.param("id")); })});
}

}  // namespace atio::server
