// The scrape token file: private, one line, long enough.
#include "atio/server/auth/scrape_token.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "atio/core/ids.h"

namespace atio::server::auth {
namespace {

namespace fs = std::filesystem;

class ScrapeTokenFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("atio-token-" + uuid_v4());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& text, unsigned mode) {
    const fs::path p = dir_ / "token";
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
    ::chmod(p.c_str(), mode);
    return p.string();
  }
  fs::path dir_;
};

TEST_F(ScrapeTokenFile, OneLineOfAtLeast32CharactersInAPrivateFile) {
  const std::string token(40, 'a');
  auto ok = read_scrape_token(write(token + "\n", 0600));
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(*ok, token);
  EXPECT_EQ(read_scrape_token(write(token, 0644)).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(read_scrape_token(write("short\n", 0600)).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(read_scrape_token(write(token + "\n" + token + "\n", 0600)).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(read_scrape_token((dir_ / "missing").string()).status().code(), Code::kNotFound);
}

TEST_F(ScrapeTokenFile, AKubernetesSecretMountedAsALinkIsRead) {
  // A Secret volume's file: token -> ..data/token, ..data -> ..<timestamp>/
  const std::string token(64, 'b');
  fs::create_directories(dir_ / "..2024_01_01");
  const fs::path real = dir_ / "..2024_01_01" / "token";
  std::ofstream(real, std::ios::binary) << token << "\n";
  ::chmod(real.c_str(), 0600);
  fs::create_directory_symlink("..2024_01_01", dir_ / "..data");
  fs::create_symlink("..data/token", dir_ / "metrics-token");
  auto ok = read_scrape_token((dir_ / "metrics-token").string());
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(*ok, token);
  // The link lends its target no trust: a target others may read is refused.
  ::chmod(real.c_str(), 0644);
  EXPECT_EQ(read_scrape_token((dir_ / "metrics-token").string()).status().code(),
            Code::kPermissionDenied);
}

}  // namespace
}  // namespace atio::server::auth
