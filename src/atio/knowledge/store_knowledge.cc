#include "atio/knowledge/store_knowledge.h"

#include <chrono>

namespace atio::knowledge {

namespace bj = boost::json;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Sightings in the store: each occurrence is one durable write, then the
// state is read back.
class StoreSightingBook final : public enrich::SightingBook {
 public:
  explicit StoreSightingBook(store::Store& store) : store_(store) {}

  Result<enrich::SightingState> record(const std::string& detection_id,
                                       const std::string& occurrence, const std::string& time,
                                       const std::string& asset_id, int importance) override {
    ATIO_RETURN_IF_ERROR(store_.write({store::RecordSighting{detection_id, occurrence, time,
                                                             asset_id, importance}}));
    ATIO_ASSIGN_OR_RETURN(std::optional<enrich::SightingState> state, get(detection_id));
    if (!state) return Status(Code::kInternal, "sighting " + detection_id + " not stored");
    return *state;
  }

  Result<std::optional<enrich::SightingState>> get(const std::string& detection_id) override {
    ATIO_ASSIGN_OR_RETURN(std::optional<store::SightingRecord> r, store_.get_sighting(detection_id));
    if (!r) return std::optional<enrich::SightingState>();
    enrich::SightingState s;
    s.detection_id = r->detection_id;
    s.first_seen = r->first_seen;
    s.last_seen = r->last_seen;
    s.count = r->count;
    s.asset_id = r->asset_id;
    s.importance = static_cast<int>(r->importance);
    s.last_occurrence = r->last_occurrence;
    for (const auto& kv : r->external_ids) {
      if (kv.value().is_string()) s.external_ids[std::string(kv.key())] = std::string(kv.value().get_string());
    }
    return std::optional<enrich::SightingState>(std::move(s));
  }

  Result<std::vector<int>> asset_importances(const std::string& asset_id,
                                             const std::string& since) override {
    ATIO_ASSIGN_OR_RETURN(std::vector<std::int64_t> v, store_.asset_importances(asset_id, since));
    return std::vector<int>(v.begin(), v.end());
  }

  Status set_external_id(const std::string& detection_id, const std::string& tool,
                         const std::string& id) override {
    return store_.write({store::SetExternalId{detection_id, tool, id}});
  }

 private:
  store::Store& store_;
};

}  // namespace

StoreKnowledge::StoreKnowledge(store::Store& store)
    : store_(store), book_(std::make_unique<StoreSightingBook>(store)) {}

Result<std::unique_ptr<StoreKnowledge>> StoreKnowledge::open(store::Store& store) {
  std::unique_ptr<StoreKnowledge> k(new StoreKnowledge(store));
  ATIO_RETURN_IF_ERROR(k->reload());
  return k;
}

Status StoreKnowledge::reload() {
  auto snap = std::make_shared<enrich::KnowledgeSnapshot>();
  ATIO_ASSIGN_OR_RETURN(std::vector<store::AssetRecord> records, store_.list_assets());
  std::vector<enrich::Asset> assets;
  for (const auto& r : records) {
    json::FieldErrors errors;
    auto a = enrich::parse_asset(r.document, "", &errors);
    if (!a) {
      return Status(Code::kIo, "stored asset " + r.id + " is not valid: " + json::to_text(errors));
    }
    a->id = r.id;
    assets.push_back(std::move(*a));
  }
  snap->assets = enrich::AssetIndex(std::move(assets));
  ATIO_ASSIGN_OR_RETURN(std::optional<bj::value> policies, store_.get_setting("policies"));
  bj::value policies_doc = policies ? *policies : bj::value(bj::array());
  json::FieldErrors errors;
  auto parsed = enrich::parse_policies(policies_doc, &errors);
  if (!parsed.is_ok()) {
    return Status(Code::kIo, "stored policies are not valid: " + json::to_text(errors));
  }
  snap->policies = std::move(*parsed);
  ATIO_ASSIGN_OR_RETURN(std::optional<bj::value> risk, store_.get_setting("risk_model"));
  bj::value risk_doc = risk ? *risk : bj::value(bj::object());
  auto model = enrich::RiskModel::from_json(risk_doc);
  if (!model.is_ok()) return model.status().with_context("stored risk model");
  snap->risk = *model;
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_ = std::move(snap);
  policies_doc_ = std::move(policies_doc);
  risk_doc_ = std::move(risk_doc);
  return Status::ok();
}

std::shared_ptr<const enrich::KnowledgeSnapshot> StoreKnowledge::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return snapshot_;
}

Status StoreKnowledge::put_assets(const std::vector<enrich::Asset>& assets,
                                  std::vector<store::WriteOp> with) {
  std::vector<store::WriteOp> ops = std::move(with);
  const std::int64_t now = now_ms();
  for (const auto& a : assets) ops.emplace_back(store::PutAsset{{a.id, a.name, a.to_json(), now}});
  ATIO_RETURN_IF_ERROR(store_.write(std::move(ops)));
  return reload();
}

Status StoreKnowledge::delete_asset(const std::string& id, std::vector<store::WriteOp> with) {
  with.insert(with.begin(), store::DeleteAsset{id});
  ATIO_RETURN_IF_ERROR(store_.write(std::move(with)));
  return reload();
}

Status StoreKnowledge::set_policies(const bj::value& document,
                                   std::vector<store::WriteOp> with) {
  with.insert(with.begin(), store::PutSetting{"policies", document, now_ms()});
  ATIO_RETURN_IF_ERROR(store_.write(std::move(with)));
  return reload();
}

Status StoreKnowledge::set_risk_model(const bj::value& document,
                                   std::vector<store::WriteOp> with) {
  with.insert(with.begin(), store::PutSetting{"risk_model", document, now_ms()});
  ATIO_RETURN_IF_ERROR(store_.write(std::move(with)));
  return reload();
}

bj::value StoreKnowledge::policies_document() const {
  std::lock_guard<std::mutex> lock(mu_);
  return policies_doc_;
}

bj::value StoreKnowledge::risk_model_document() const {
  std::lock_guard<std::mutex> lock(mu_);
  return risk_doc_;
}

}  // namespace atio::knowledge
