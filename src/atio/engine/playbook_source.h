// Playbook sources for the engine: from the store (serve) or from memory
// (`atio run`, tests). Both validate with the registry's command catalog and
// keep the parsed playbook, so conditions are parsed once.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "atio/actions/registry.h"
#include "atio/engine/engine.h"
#include "atio/store/store.h"

namespace atio::engine {

// Parses and validates a CACAO document for running with `registry`'s command
// types. Errors list every problem ("/workflow/x/commands/0/type: ...").
Result<std::shared_ptr<const cacao::Playbook>> compile_playbook(const bj::value& doc,
                                                                const actions::Registry& registry);

// Playbooks held in memory, e.g. loaded from files.
class MemoryPlaybookSource final : public PlaybookSource {
 public:
  void put(std::shared_ptr<const cacao::Playbook> playbook);
  Result<std::shared_ptr<const cacao::Playbook>> get(const std::string& id) override;

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const cacao::Playbook>> playbooks_;
};

// Playbooks from the store, compiled once per version and cached.
class StorePlaybookSource final : public PlaybookSource {
 public:
  StorePlaybookSource(store::Store& store, const actions::Registry& registry)
      : store_(store), registry_(registry) {}
  Result<std::shared_ptr<const cacao::Playbook>> get(const std::string& id) override;
  // Drops a cached playbook (after an update or delete).
  void invalidate(const std::string& id);

 private:
  store::Store& store_;
  const actions::Registry& registry_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const cacao::Playbook>> cache_;
};

}  // namespace atio::engine
