#include "atio/cti/enrich/knowledge.h"

namespace atio::enrich {

Knowledge KnowledgeSource::knowledge(std::shared_ptr<const KnowledgeSnapshot>* hold) {
  *hold = snapshot();
  return Knowledge{&(*hold)->assets, &(*hold)->risk, &(*hold)->policies, &sightings()};
}

std::shared_ptr<const KnowledgeSnapshot> FixedKnowledge::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return snapshot_;
}

void FixedKnowledge::set(std::shared_ptr<const KnowledgeSnapshot> snapshot) {
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_ = std::move(snapshot);
}

}  // namespace atio::enrich
