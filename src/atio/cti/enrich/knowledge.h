// Where enrichment gets what the organisation knows: an immutable snapshot
// of assets, risk model and policies (swapped whole when they change, so a
// running enrichment never sees half an update), and the sighting book.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "atio/cti/enrich/asset.h"
#include "atio/cti/enrich/enricher.h"
#include "atio/cti/enrich/policy.h"
#include "atio/cti/enrich/risk.h"
#include "atio/cti/enrich/sightings.h"

namespace atio::enrich {

struct KnowledgeSnapshot {
  AssetIndex assets;
  RiskModel risk;
  std::vector<Policy> policies;
};

class KnowledgeSource {
 public:
  virtual ~KnowledgeSource() = default;
  // The current snapshot; never null. Thread-safe.
  virtual std::shared_ptr<const KnowledgeSnapshot> snapshot() const = 0;
  // Thread-safe.
  virtual SightingBook& sightings() = 0;

  // The Knowledge an enrichment uses; keeps `*hold` alive for as long as the
  // result is used.
  Knowledge knowledge(std::shared_ptr<const KnowledgeSnapshot>* hold);
};

// Knowledge held in memory (tests, `atio run`, validation).
class FixedKnowledge final : public KnowledgeSource {
 public:
  FixedKnowledge() : snapshot_(std::make_shared<KnowledgeSnapshot>()) {}
  std::shared_ptr<const KnowledgeSnapshot> snapshot() const override;
  SightingBook& sightings() override { return book_; }
  void set(std::shared_ptr<const KnowledgeSnapshot> snapshot);

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const KnowledgeSnapshot> snapshot_;
  MemorySightingBook book_;
};

}  // namespace atio::enrich
