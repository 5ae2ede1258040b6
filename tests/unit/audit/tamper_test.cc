// `atio audit verify`'s engine against every kind of tampering done to the
// SQLite file itself: each is detected and names the record.
#include <gtest/gtest.h>

#include <sodium.h>

#include "audit_test_support.h"
#include "support/audit_oracle.h"

namespace atio::audit {
namespace {

using testing::AuditLogTest;

class TamperTest : public AuditLogTest {
 protected:
  void SetUp() override {
    AuditLogTest::SetUp();
    open(/*every_records=*/10);
    append(30);  // checkpoints at 10, 20 and 30
    VerifyReport rep = verify();
    ASSERT_TRUE(rep.ok()) << rep.summary();
    ASSERT_EQ(rep.checkpoints, 3);
  }

  store::AuditRecord get(std::int64_t seq) {
    auto r = store_->get_audit(seq);
    EXPECT_TRUE(r.is_ok() && r->has_value()) << "record " << seq;
    return r.is_ok() && r->has_value() ? **r : store::AuditRecord{};
  }

  static std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
      out += c;
      if (c == '\'') out += '\'';
    }
    return out + "'";
  }

  // Writes `r` into row `r.seq` (inserting it when absent), every column.
  void put_row(const store::AuditRecord& r) {
    tamper("INSERT OR REPLACE INTO audit(seq, time, actor, actor_kind, actor_name, role,"
           " source_ip, user_agent, action, object_type, object_id, outcome, detail, prev_hash,"
           " hash) VALUES(" + std::to_string(r.seq) + "," + std::to_string(r.time_ms) + "," +
           quote(r.actor) + "," + quote(r.actor_kind) + "," + quote(r.actor_name) + "," +
           quote(r.role) + "," + quote(r.source_ip) + "," + quote(r.user_agent) + "," +
           quote(r.action) + "," + quote(r.object_type) + "," + quote(r.object_id) + "," +
           quote(r.outcome) + "," + quote(r.detail) + "," + quote(r.prev_hash) + "," +
           quote(r.hash) + ")");
  }

  void expect_problem(const VerifyReport& rep, const std::string& kind, std::int64_t seq) {
    ASSERT_FALSE(rep.ok()) << "tampering not detected";
    EXPECT_EQ(rep.problems.front().kind, kind) << rep.summary();
    EXPECT_EQ(rep.problems.front().seq, seq) << rep.summary();
    EXPECT_NE(rep.summary().find(std::to_string(seq)), std::string::npos) << rep.summary();
  }
};

TEST_F(TamperTest, AnIntactLogVerifiesAndItsCheckpointsAreValidEd25519Signatures) {
  VerifyReport rep = verify();
  EXPECT_TRUE(rep.ok());
  EXPECT_EQ(rep.records, 30);
  EXPECT_EQ(rep.head_seq, 30);
  EXPECT_EQ(rep.last_checkpoint_seq, 30);
  EXPECT_TRUE(rep.key_trusted);
  auto cps = store_->list_audit_checkpoints(0, 100);
  ASSERT_TRUE(cps.is_ok());
  ASSERT_EQ(cps->size(), 3u);
  for (const auto& c : *cps) {
    EXPECT_TRUE(atio::testing::oracle_checkpoint_valid(c)) << "checkpoint " << c.seq;
    EXPECT_EQ(c.public_key, key_->public_key_hex());
    EXPECT_EQ(c.hash, get(c.seq).hash);
  }
}

TEST_F(TamperTest, AnEditedFieldIsFound) {
  tamper("UPDATE audit SET actor = 'somebody-else' WHERE seq = 13");
  expect_problem(verify(), "edited", 13);
}

TEST_F(TamperTest, AnEditedDetailIsFound) {
  tamper("UPDATE audit SET detail = '{\"i\":99}' WHERE seq = 27");
  expect_problem(verify(), "edited", 27);
}

TEST_F(TamperTest, AnEditWithItsHashRecomputedIsFoundByTheNextRecord) {
  store::AuditRecord r = get(13);
  r.outcome = "failure";
  r.hash = atio::testing::oracle_record_hash(r);
  put_row(r);
  expect_problem(verify(), "edited", 13);
}

TEST_F(TamperTest, AnEditWithTheRestOfTheChainRecomputedIsFoundByTheCheckpoint) {
  // Whoever knows the documented hash can rewrite the chain, but cannot sign.
  std::string prev = get(12).hash;
  for (std::int64_t seq = 13; seq <= 30; ++seq) {
    store::AuditRecord r = get(seq);
    if (seq == 13) r.actor = "somebody-else";
    r.prev_hash = prev;
    r.hash = atio::testing::oracle_record_hash(r);
    put_row(r);
    prev = r.hash;
  }
  VerifyReport rep = verify();
  expect_problem(rep, "edited", 20);
  EXPECT_NE(rep.summary().find("11"), std::string::npos) << rep.summary();
}

TEST_F(TamperTest, ADeletedRecordIsFound) {
  tamper("DELETE FROM audit WHERE seq = 13");
  expect_problem(verify(), "deleted", 13);
}

TEST_F(TamperTest, ADeletionHiddenByRenumberingIsFound) {
  tamper("DELETE FROM audit WHERE seq = 13;"
         "UPDATE audit SET seq = -seq WHERE seq > 13;"
         "UPDATE audit SET seq = -seq - 1 WHERE seq < 0;");
  expect_problem(verify(), "deleted", 13);
}

TEST_F(TamperTest, AnInsertedRecordIsFound) {
  // Room is made at 13 and a record that links to 12 with a correct hash
  // is put there; the record after it still links to 12.
  const store::AuditRecord twelve = get(12);
  tamper("UPDATE audit SET seq = -seq WHERE seq >= 13;"
         "UPDATE audit SET seq = -seq + 1 WHERE seq < 0;");
  store::AuditRecord forged = record(99);
  forged.seq = 13;
  forged.time_ms = twelve.time_ms;
  forged.prev_hash = twelve.hash;
  forged.hash = atio::testing::oracle_record_hash(forged);
  put_row(forged);
  expect_problem(verify(), "inserted", 13);
}

TEST_F(TamperTest, AnInsertedRecordWithABadHashIsFound) {
  const store::AuditRecord twelve = get(12);
  tamper("UPDATE audit SET seq = -seq WHERE seq >= 13;"
         "UPDATE audit SET seq = -seq + 1 WHERE seq < 0;");
  store::AuditRecord forged = record(99);
  forged.seq = 13;
  forged.prev_hash = twelve.hash;
  forged.hash = std::string(64, 'a');
  put_row(forged);
  expect_problem(verify(), "inserted", 13);
}

TEST_F(TamperTest, SwappedRecordsAreFound) {
  tamper("UPDATE audit SET seq = -13 WHERE seq = 13;"
         "UPDATE audit SET seq = 13 WHERE seq = 17;"
         "UPDATE audit SET seq = 17 WHERE seq = -13;");
  expect_problem(verify(), "reordered", 13);
}

TEST_F(TamperTest, AdjacentSwappedRecordsAreFound) {
  tamper("UPDATE audit SET seq = -21 WHERE seq = 21;"
         "UPDATE audit SET seq = 21 WHERE seq = 22;"
         "UPDATE audit SET seq = 22 WHERE seq = -21;");
  expect_problem(verify(), "reordered", 21);
}

TEST_F(TamperTest, TruncationPastTheLastCheckpointIsFound) {
  tamper("DELETE FROM audit WHERE seq > 25");
  VerifyReport rep = verify();
  expect_problem(rep, "truncated", 26);
  EXPECT_NE(rep.summary().find("30"), std::string::npos) << rep.summary();
}

TEST_F(TamperTest, TruncationOfEverythingIsFound) {
  tamper("DELETE FROM audit");
  expect_problem(verify(), "truncated", 1);
}

TEST_F(TamperTest, AReplacedCheckpointSignatureIsFound) {
  auto cps = store_->list_audit_checkpoints(0, 100);
  ASSERT_TRUE(cps.is_ok() && cps->size() == 3u);
  tamper("UPDATE audit_checkpoints SET signature = " + quote((*cps)[0].signature) +
         " WHERE seq = 20");
  expect_problem(verify(), "bad_signature", 20);
}

TEST_F(TamperTest, ACheckpointSignedWithAnotherKeyIsFound) {
  // An attacker with a key of their own re-signs checkpoint 20 over a changed record.
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  store::AuditRecord r = get(20);
  r.actor = "somebody-else";
  r.hash = atio::testing::oracle_record_hash(r);
  put_row(r);
  const std::string m = store::audit_checkpoint_message(20, r.hash, 1);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(m.data()), m.size(), sk);
  char sig_hex[2 * sizeof sig + 1], pk_hex[2 * sizeof pk + 1];
  sodium_bin2hex(sig_hex, sizeof sig_hex, sig, sizeof sig);
  sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
  tamper("UPDATE audit_checkpoints SET hash = " + quote(r.hash) + ", time = 1, signature = " +
         quote(sig_hex) + ", public_key = " + quote(pk_hex) + " WHERE seq = 20");
  VerifyReport rep = verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_EQ(rep.problems.front().seq, 20);
  bool unknown_key = false;
  for (const auto& p : rep.problems) unknown_key = unknown_key || p.kind == "unknown_key";
  EXPECT_TRUE(unknown_key) << rep.summary();
  // Without the key file the forged signature is valid, but record 21 no
  // longer links to record 20.
  auto untrusted = verify_audit_log(*store_, VerifyOptions{});
  ASSERT_TRUE(untrusted.is_ok());
  EXPECT_FALSE(untrusted->ok());
}

}  // namespace
}  // namespace atio::audit
