// The real services an engine test runs against: outbound HTTP, the manual
// board, the built-in command types, a playbook source and a SQLite store in
// a temporary directory (removed at the end).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "atio/actions/builtin.h"
#include "atio/core/ids.h"
#include "atio/core/json.h"
#include "atio/engine/playbook_source.h"
#include "atio/store/sqlite/sqlite_store.h"

namespace atio::testing {

class EngineWorld {
 public:
  explicit EngineWorld(std::string synchronous = "normal")
      : dir_(std::filesystem::temp_directory_path() / ("atio-test-" + uuid_v4())) {
    std::filesystem::create_directories(dir_);
    actions::BuiltinServices s;
    s.http = &http;
    s.manual = &board;
    actions::register_builtin_actions(registry, s);
    store_options.path = (dir_ / "atio.db").string();
    store_options.synchronous = std::move(synchronous);
  }
  ~EngineWorld() {
    if (store) store->close();
    store.reset();
    std::filesystem::remove_all(dir_);
  }

  // Opens (or reopens) the store; empty string on success, else the error.
  std::string open_store() {
    if (store) store->close();
    auto st = store::open_sqlite_store(store_options);
    if (!st.is_ok()) return st.status().to_string();
    store = std::move(st).value();
    return "";
  }

  // Compiles a playbook and adds it to `source`; nullptr (and `error`) when invalid.
  std::shared_ptr<const cacao::Playbook> add_playbook(const std::string& text, std::string* error) {
    auto doc = json::parse(text);
    if (!doc.is_ok()) {
      *error = doc.status().to_string();
      return nullptr;
    }
    auto pb = engine::compile_playbook(*doc, registry);
    if (!pb.is_ok()) {
      *error = pb.status().to_string();
      return nullptr;
    }
    source.put(*pb);
    return *pb;
  }

  actions::HttpClient http;
  actions::ManualBoard board;
  actions::Registry registry;
  engine::MemoryPlaybookSource source;
  store::SqliteOptions store_options;
  std::unique_ptr<store::Store> store;

 private:
  std::filesystem::path dir_;
};

}  // namespace atio::testing
