// A SQLite store with a signing key in a temporary directory, records to
// fill it with, and SQL run on the database file behind the store's back (as
// someone tampering with it would).
#pragma once

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "atio/audit/signing_key.h"
#include "atio/audit/verify.h"
#include "atio/core/ids.h"
#include "atio/store/sqlite/sqlite_store.h"
#include "support/sqlite_file.h"

namespace atio::audit::testing {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("atio-audit-" + uuid_v4());
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "atio.db").string();
    auto key = SigningKey::load_or_create(default_key_path(db_));
    ASSERT_TRUE(key.is_ok()) << key.status().to_string();
    key_ = *key;
  }
  void TearDown() override {
    if (store_) store_->close();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void open(std::int64_t every_records = 10, std::int64_t every_ms = 0) {
    store::SqliteOptions o;
    o.path = db_;
    o.synchronous = "normal";
    o.audit.signer = key_;
    o.audit.every_records = every_records;
    o.audit.every_ms = every_ms;
    auto r = store::open_sqlite_store(o);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    store_ = std::move(r).value();
  }
  void close() {
    store_->close();
    store_.reset();
  }

  static store::AuditRecord record(int i) {
    store::AuditRecord r;
    r.actor = "key-" + std::to_string(i % 3);
    r.actor_kind = "key";
    r.actor_name = "admin";
    r.role = "admin";
    r.source_ip = "10.0.0." + std::to_string(i % 250);
    r.user_agent = "test";
    r.action = i % 2 ? "playbook.update" : "playbook.create";
    r.object_type = "playbook";
    r.object_id = "playbook--" + std::to_string(i);
    r.outcome = "success";
    r.detail = "{\"i\":" + std::to_string(i) + "}";
    return r;
  }

  // Appends `n` records, one batch each.
  void append(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(store_->write({store::AppendAudit{record(i)}}).is_ok());
    }
  }

  VerifyReport verify() {
    VerifyOptions o;
    o.trusted_public_key = key_->public_key_hex();
    auto rep = verify_audit_log(*store_, o);
    EXPECT_TRUE(rep.is_ok()) << rep.status().to_string();
    return rep.is_ok() ? *rep : VerifyReport{};
  }

  // Runs SQL on the database file through a connection of the test's own.
  void tamper(const std::string& text) { atio::testing::run_sql(db_, text); }


  std::filesystem::path dir_;
  std::string db_;
  std::shared_ptr<SigningKey> key_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace atio::audit::testing
