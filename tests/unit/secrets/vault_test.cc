// The secret store's sealing and its master key file: a sealed value opens
// only with the same key and name, never contains the plaintext, and the key
// file is created private and refused when others could read it. libsodium is
// used directly as the oracle for the name-bound key.
#include "atio/secrets/vault.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "atio/core/ids.h"

namespace atio::secrets {
namespace {

namespace fs = std::filesystem;

class VaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("ATIO_SECRET_KEY");
    dir_ = fs::temp_directory_path() / ("atio-vault-" + uuid_v4());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    ::unsetenv("ATIO_SECRET_KEY");
    fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(VaultTest, SealsPerNameAndOpensOnlyWithTheSameKeyAndName) {
  auto vault = Vault::open((dir_ / "key").string(), true);
  ASSERT_TRUE(vault.is_ok()) << vault.status().to_string();
  const std::string plain = "misp-api-key-0123456789";
  const std::string sealed = (*vault)->seal("misp", plain);
  EXPECT_EQ(sealed.rfind("sb1:", 0), 0u);
  EXPECT_EQ(sealed.find(plain), std::string::npos);
  EXPECT_NE((*vault)->seal("misp", plain), sealed);  // a fresh nonce each time
  EXPECT_EQ(*(*vault)->unseal("misp", sealed), plain);
  EXPECT_FALSE((*vault)->unseal("iris", sealed).is_ok());  // moved to another name
  std::string altered = sealed;
  altered[altered.size() - 3] = altered[altered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE((*vault)->unseal("misp", altered).is_ok());
  auto other = Vault::open((dir_ / "other-key").string(), true);
  ASSERT_TRUE(other.is_ok());
  EXPECT_FALSE((*other)->unseal("misp", sealed).is_ok());
}

// The documented construction, recomputed with libsodium: the box opens with
// BLAKE2b(key = master key, message = name) as the secretbox key.
TEST_F(VaultTest, DocumentedConstruction) {
  ASSERT_GE(sodium_init(), 0);
  unsigned char master[32];
  for (int i = 0; i < 32; ++i) master[i] = static_cast<unsigned char>(i * 7 + 1);
  auto vault = Vault::with_key(std::string_view(reinterpret_cast<char*>(master), 32));
  const std::string sealed = vault->seal("iris", "t0ken");
  std::string b64 = sealed.substr(4);
  std::vector<unsigned char> raw(b64.size());
  std::size_t len = 0;
  ASSERT_EQ(sodium_base642bin(raw.data(), raw.size(), b64.data(), b64.size(), nullptr, &len,
                              nullptr, sodium_base64_VARIANT_ORIGINAL),
            0);
  unsigned char key[crypto_secretbox_KEYBYTES];
  crypto_generichash(key, sizeof key, reinterpret_cast<const unsigned char*>("iris"), 4, master, 32);
  std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  ASSERT_EQ(crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                       raw.data() + crypto_secretbox_NONCEBYTES,
                                       len - crypto_secretbox_NONCEBYTES, raw.data(), key),
            0);
  EXPECT_EQ(plain, "t0ken");
}

TEST_F(VaultTest, KeyFileIsCreatedPrivateAndReusedAndLooseOnesAreRefused) {
  const std::string path = (dir_ / "atio.db.secret-key").string();
  EXPECT_EQ(Vault::open(path, false).status().code(), Code::kNotFound);
  auto first = Vault::open(path, true);
  ASSERT_TRUE(first.is_ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = Vault::open(path, true);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(*(*again)->unseal("x", (*first)->seal("x", "v")), "v");  // the same key
  ::chmod(path.c_str(), 0644);
  auto loose = Vault::open(path, true);
  EXPECT_EQ(loose.status().code(), Code::kPermissionDenied);
  EXPECT_NE(loose.status().message().find("chmod 600"), std::string::npos);
  std::ofstream(dir_ / "bad") << "not a key\n";
  ::chmod((dir_ / "bad").c_str(), 0600);
  EXPECT_EQ(Vault::open((dir_ / "bad").string(), true).status().code(), Code::kInvalidArgument);
}

TEST_F(VaultTest, EnvironmentKeyWinsOverTheFile) {
  const std::string hex(64, 'a');
  ::setenv("ATIO_SECRET_KEY", hex.c_str(), 1);
  auto from_env = Vault::open((dir_ / "never-made").string(), true);
  ASSERT_TRUE(from_env.is_ok());
  EXPECT_EQ((*from_env)->source(), "ATIO_SECRET_KEY");
  EXPECT_FALSE(fs::exists(dir_ / "never-made"));
  auto fixed = Vault::with_key(std::string(32, '\xaa'));
  EXPECT_EQ(*fixed->unseal("n", (*from_env)->seal("n", "v")), "v");  // 0xaa... is that key
  ::setenv("ATIO_SECRET_KEY", "short", 1);
  auto bad = Vault::open((dir_ / "never-made").string(), true);
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("ATIO_SECRET_KEY"), std::string::npos);
}

}  // namespace
}  // namespace atio::secrets
