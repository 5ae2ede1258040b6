#include "atio/engine/playbook_source.h"

#include "atio/playbook/cacao/parse.h"

namespace atio::engine {

Result<std::shared_ptr<const cacao::Playbook>> compile_playbook(const bj::value& doc,
                                                                const actions::Registry& registry) {
  cacao::ValidateOptions options;
  options.commands = registry.catalog();
  json::FieldErrors errors;
  auto pb = cacao::load(doc, options, &errors);
  if (!pb.is_ok()) {
    std::string m = "playbook is not valid:";
    for (const auto& e : errors) m += "\n  " + (e.pointer.empty() ? "(document)" : e.pointer) + ": " + e.message;
    return Status(Code::kInvalidArgument, m);
  }
  return std::shared_ptr<const cacao::Playbook>(
      std::make_shared<cacao::Playbook>(std::move(pb).value()));
}

void MemoryPlaybookSource::put(std::shared_ptr<const cacao::Playbook> playbook) {
  std::lock_guard<std::mutex> lk(mu_);
  playbooks_[playbook->id] = std::move(playbook);
}

Result<std::shared_ptr<const cacao::Playbook>> MemoryPlaybookSource::get(const std::string& id) {
  std::lock_guard<std::mutex> lk(mu_);
  auto it = playbooks_.find(id);
  if (it == playbooks_.end()) return Status(Code::kNotFound, "playbook " + id + " not found");
  return it->second;
}

Result<std::shared_ptr<const cacao::Playbook>> StorePlaybookSource::get(const std::string& id) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    auto it = cache_.find(id);
    if (it != cache_.end()) return it->second;
  }
  ATIO_ASSIGN_OR_RETURN(auto rec, store_.get_playbook(id));
  if (!rec) return Status(Code::kNotFound, "playbook " + id + " not found");
  ATIO_ASSIGN_OR_RETURN(auto pb, compile_playbook(bj::value(rec->document), registry_));
  std::lock_guard<std::mutex> lk(mu_);
  cache_[id] = pb;
  return pb;
}

void StorePlaybookSource::invalidate(const std::string& id) {
  std::lock_guard<std::mutex> lk(mu_);
  cache_.erase(id);
}

}  // namespace atio::engine
