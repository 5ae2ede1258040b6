// A real SQLite store in a temporary directory, a case service on it with a
// clock the test sets, and helpers to read what was recorded.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>

#include "atio/cases/service.h"
#include "atio/core/ids.h"
#include "atio/store/sqlite/sqlite_store.h"

namespace atio::cases::testing {

class CasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("atio-cases-" + uuid_v4());
    std::filesystem::create_directories(dir_);
    store::SqliteOptions o;
    o.path = (dir_ / "atio.db").string();
    o.synchronous = "normal";
    auto r = store::open_sqlite_store(o);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    store_ = std::move(r).value();
    CaseServiceOptions so;
    so.correlation_window_ms = 3'600'000;
    so.now_ms = [this] { return now_.load(); };
    service_ = std::make_unique<CaseService>(*store_, so);
  }
  void TearDown() override {
    service_.reset();
    store_->close();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static Actor analyst(const std::string& name) {
    Actor a;
    a.audit.actor = "user-" + name;
    a.audit.actor_kind = "user";
    a.audit.actor_name = name;
    a.audit.role = "analyst";
    return a;
  }

  Detection alert(std::int64_t occurred, const std::string& key = "alert:sig|10.0.0.5") {
    Detection d;
    d.title = "ET SCAN from 10.0.0.9 on 10.0.0.5";
    d.score = 7.5;
    d.correlation_key = key;
    d.occurred_at_ms = occurred;
    d.detected_at_ms = occurred + 90'000;
    d.playbook_id = "playbook--uc2";
    d.use_case = "use-case-2";
    return d;
  }

  std::vector<store::AuditRecord> audit_of(const std::string& case_id) {
    store::AuditFilter f;
    f.object_type = "case";
    f.object_id = case_id;
    auto r = store_->list_audit(f);
    EXPECT_TRUE(r.is_ok());
    return r.is_ok() ? *r : std::vector<store::AuditRecord>{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<CaseService> service_;
  std::atomic<std::int64_t> now_{1'700'000'000'000};
};

}  // namespace atio::cases::testing
