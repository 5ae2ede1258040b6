// Signed checkpoints: by count, by time, on close; the signing key file.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "audit_test_support.h"
#include "support/audit_oracle.h"

namespace atio::audit {
namespace {

using testing::AuditLogTest;

TEST_F(AuditLogTest, ACheckpointIsSignedEveryNRecords) {
  open(/*every_records=*/25);
  append(60);
  auto cps = store_->list_audit_checkpoints(0, 100);
  ASSERT_TRUE(cps.is_ok());
  ASSERT_EQ(cps->size(), 2u);
  EXPECT_EQ((*cps)[0].seq, 25);
  EXPECT_EQ((*cps)[1].seq, 50);
  for (const auto& c : *cps) {
    EXPECT_TRUE(atio::testing::oracle_checkpoint_valid(c));
    auto r = store_->get_audit(c.seq);
    ASSERT_TRUE(r.is_ok() && r->has_value());
    EXPECT_EQ(c.hash, (*r)->hash);
  }
}

TEST_F(AuditLogTest, ManyRecordsInOneBatchStillGetTheirCheckpoints) {
  open(/*every_records=*/10);
  std::vector<store::WriteOp> ops;
  for (int i = 0; i < 35; ++i) ops.push_back(store::AppendAudit{record(i)});
  ASSERT_TRUE(store_->write(std::move(ops)).is_ok());
  auto cps = store_->list_audit_checkpoints(0, 100);
  ASSERT_TRUE(cps.is_ok());
  ASSERT_EQ(cps->size(), 3u);
  EXPECT_EQ(cps->back().seq, 30);
}

TEST_F(AuditLogTest, TheTailIsSignedAfterTheIntervalWithoutNewRecords) {
  open(/*every_records=*/1000, /*every_ms=*/50);
  append(3);
  // The writer signs the head once the interval has passed; wait for it
  // (bounded, so a broken timer fails the test instead of hanging it).
  std::int64_t covered = 0;
  for (int i = 0; i < 400 && covered < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    auto cps = store_->list_audit_checkpoints(0, 100);
    ASSERT_TRUE(cps.is_ok());
    if (!cps->empty()) covered = cps->back().seq;
  }
  EXPECT_EQ(covered, 3);
  // Nothing new: no further checkpoint of the same head.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto cps = store_->list_audit_checkpoints(0, 100);
  ASSERT_TRUE(cps.is_ok());
  EXPECT_EQ(cps->size(), 1u);
}

TEST_F(AuditLogTest, ClosingSignsWhatIsNotCovered) {
  open(/*every_records=*/1000);
  append(7);
  auto before = store_->list_audit_checkpoints(0, 100);
  ASSERT_TRUE(before.is_ok());
  EXPECT_TRUE(before->empty());
  close();
  open(/*every_records=*/1000);
  auto cps = store_->list_audit_checkpoints(0, 100);
  ASSERT_TRUE(cps.is_ok());
  ASSERT_EQ(cps->size(), 1u);
  EXPECT_EQ(cps->front().seq, 7);
  EXPECT_TRUE(verify().ok());
}

TEST_F(AuditLogTest, CheckpointAuditSignsTheHeadOnDemand) {
  open(/*every_records=*/1000);
  append(4);
  ASSERT_TRUE(store_->write({store::CheckpointAudit{}}).is_ok());
  ASSERT_TRUE(store_->write({store::CheckpointAudit{}}).is_ok());  // already covered: no-op
  auto cps = store_->list_audit_checkpoints(0, 100);
  ASSERT_TRUE(cps.is_ok());
  ASSERT_EQ(cps->size(), 1u);
  EXPECT_EQ(cps->front().seq, 4);
}

TEST_F(AuditLogTest, ALongChainVerifies) {
  open(/*every_records=*/1000);
  std::vector<store::WriteOp> ops;
  for (int i = 0; i < 5000; ++i) {
    ops.push_back(store::AppendAudit{record(i)});
    if (ops.size() == 500) ASSERT_TRUE(store_->write(std::exchange(ops, {})).is_ok());
  }
  VerifyReport rep = verify();
  EXPECT_TRUE(rep.ok()) << rep.summary();
  EXPECT_EQ(rep.records, 5000);
  EXPECT_EQ(rep.checkpoints, 5);
}

class SigningKeyTest : public AuditLogTest {};

TEST_F(SigningKeyTest, TheKeyFileIsCreatedOwnerOnlyAndReloadsTheSameKey) {
  const std::string path = (dir_ / "other.audit-key").string();
  auto created = SigningKey::load_or_create(path);
  ASSERT_TRUE(created.is_ok()) << created.status().to_string();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = SigningKey::load_or_create(path);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ((*again)->public_key_hex(), (*created)->public_key_hex());
  // The file holds the seed; libsodium derives the same public key from it.
  std::ifstream in(path);
  std::string hex;
  in >> hex;
  ASSERT_EQ(hex.size(), 64u);
  unsigned char seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES],
      sk[crypto_sign_SECRETKEYBYTES];
  ASSERT_EQ(sodium_hex2bin(seed, sizeof seed, hex.data(), hex.size(), nullptr, nullptr, nullptr), 0);
  crypto_sign_seed_keypair(pk, sk, seed);
  char pk_hex[2 * sizeof pk + 1];
  sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
  EXPECT_EQ((*created)->public_key_hex(), std::string(pk_hex));
}

TEST_F(SigningKeyTest, AKeyFileOthersCanReadIsRefused) {
  const std::string path = (dir_ / "loose.audit-key").string();
  ASSERT_TRUE(SigningKey::load_or_create(path).is_ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto loaded = SigningKey::load_or_create(path);
  ASSERT_FALSE(loaded.is_ok());
  EXPECT_EQ(loaded.status().code(), Code::kPermissionDenied);
  EXPECT_NE(loaded.status().message().find("0644"), std::string::npos);
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  EXPECT_EQ(SigningKey::load(path).status().code(), Code::kPermissionDenied);
}

TEST_F(SigningKeyTest, AFileWithoutAKeyIsRefused) {
  const std::string path = (dir_ / "bad.audit-key").string();
  {
    std::ofstream out(path);
    out << "not a key\n";
  }
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  EXPECT_EQ(SigningKey::load(path).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(SigningKey::load((dir_ / "absent").string()).status().code(), Code::kNotFound);
}

TEST_F(SigningKeyTest, SignaturesVerifyWithLibsodiumAndFailWhenChanged) {
  const std::string m = "message";
  const std::string sig = key_->sign_hex(m);
  EXPECT_TRUE(verify_signature(key_->public_key_hex(), m, sig));
  EXPECT_FALSE(verify_signature(key_->public_key_hex(), "messagE", sig));
  std::string other = sig;
  other[0] = other[0] == '0' ? '1' : '0';
  EXPECT_FALSE(verify_signature(key_->public_key_hex(), m, other));
  EXPECT_FALSE(verify_signature(key_->public_key_hex(), m, "zz"));
}

}  // namespace
}  // namespace atio::audit
