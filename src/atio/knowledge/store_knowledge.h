// Enrichment knowledge kept in the store: assets, the policies and the risk
// model (settings "policies" and "risk_model"), and sightings per detection,
// so that they survive restarts and are shared by every execution.
//
// Reads come from an in-memory snapshot rebuilt after each change made
// through this class; changes are written to the store first (durably) and
// only then become visible.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "atio/cti/enrich/knowledge.h"
#include "atio/store/store.h"

namespace atio::knowledge {

class StoreKnowledge final : public enrich::KnowledgeSource {
 public:
  // Loads the knowledge; errors name what could not be read or parsed.
  // REQUIRES: `store` outlives the result.
  static Result<std::unique_ptr<StoreKnowledge>> open(store::Store& store);

  std::shared_ptr<const enrich::KnowledgeSnapshot> snapshot() const override;
  enrich::SightingBook& sightings() override { return *book_; }

  // Each change is written in one transaction together with the ops in
  // `with` (the audit record of the request that makes it): all or none.
  // Adds or replaces assets by id.
  Status put_assets(const std::vector<enrich::Asset>& assets,
                    std::vector<store::WriteOp> with = {});
  // kNotFound when there is no such asset.
  Status delete_asset(const std::string& id, std::vector<store::WriteOp> with = {});
  // Replaces the policies / the risk model (already checked by the caller
  // with parse_policies / RiskModel::from_json; stored as given).
  Status set_policies(const boost::json::value& document, std::vector<store::WriteOp> with = {});
  Status set_risk_model(const boost::json::value& document,
                        std::vector<store::WriteOp> with = {});
  boost::json::value policies_document() const;
  boost::json::value risk_model_document() const;

 private:
  explicit StoreKnowledge(store::Store& store);
  Status reload();

  store::Store& store_;
  std::unique_ptr<enrich::SightingBook> book_;
  mutable std::mutex mu_;
  std::shared_ptr<const enrich::KnowledgeSnapshot> snapshot_;
  boost::json::value policies_doc_;
  boost::json::value risk_doc_;
};

}  // namespace atio::knowledge
