// Which key files atio reads: its own private files, and secrets the
// platform mounts for it (Kubernetes: root-owned, group-readable files behind
// ..data/ links; Docker: files owned by atio's uid).
#include "atio/core/private_file.h"

#include <gtest/gtest.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "atio/core/ids.h"

namespace atio {
namespace {

namespace fs = std::filesystem;

constexpr uid_t kNobody = 65534;

class PrivateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("atio-private-" + uuid_v4());
    fs::create_directories(dir_);
    // Others may enter (not list) it, so that a test may read as another user.
    ::chmod(dir_.c_str(), 0711);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& text, mode_t mode) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    ::chmod(p.parent_path().c_str(), 0711);
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
    EXPECT_EQ(::chmod(p.c_str(), mode), 0);
    return p;
  }

  // Reads `path` in a child process running as uid/gid nobody: 0 when read
  // and equal to `expected`, 1 when refused with kPermissionDenied, 2 else.
  static int read_as_nobody(const fs::path& path, const std::string& expected) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      const gid_t g = kNobody;
      if (::setgroups(1, &g) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) _exit(3);
      auto r = read_private_file(path.string(), "test key");
      if (r.is_ok()) _exit(*r == expected ? 0 : 2);
      _exit(r.status().code() == Code::kPermissionDenied ? 1 : 2);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  fs::path dir_;
};

TEST_F(PrivateFileTest, AFileOnlyItsOwnerMayReadIsRead) {
  for (mode_t mode : {0600, 0400}) {
    auto r = read_private_file(write("key", "secret\n", mode).string(), "test key");
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(*r, "secret\n");
  }
}

TEST_F(PrivateFileTest, AFileOthersOrTheGroupMayReadIsRefused) {
  for (mode_t mode : {0644, 0604, 0660}) {
    auto r = read_private_file(write("key", "secret", mode).string(), "test key");
    EXPECT_EQ(r.status().code(), Code::kPermissionDenied) << std::oct << mode;
  }
}

TEST_F(PrivateFileTest, KubernetesSecretLinksAreFollowedToThePrivateFile) {
  // A Secret volume: key -> ..data/key, ..data -> ..2024_01_01_00_00_00.1
  write("..2024_01_01_00_00_00.1/admin-key", "atio_key\n", 0600);
  fs::create_directory_symlink("..2024_01_01_00_00_00.1", dir_ / "..data");
  fs::create_symlink("..data/admin-key", dir_ / "admin-key");
  auto r = read_private_file((dir_ / "admin-key").string(), "admin key file");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(*r, "atio_key\n");
}

TEST_F(PrivateFileTest, ALinkToAFileOthersMayReadIsRefused) {
  write("loose", "secret", 0644);
  fs::create_symlink("loose", dir_ / "link");
  auto r = read_private_file((dir_ / "link").string(), "test key");
  EXPECT_EQ(r.status().code(), Code::kPermissionDenied);
  EXPECT_NE(r.status().message().find("0644"), std::string::npos) << r.status().message();
}

TEST_F(PrivateFileTest, ALinkToSomethingElseThanAFileIsRefused) {
  fs::create_directory(dir_ / "sub");
  fs::create_directory_symlink("sub", dir_ / "link");
  EXPECT_EQ(read_private_file((dir_ / "link").string(), "test key").status().code(),
            Code::kInvalidArgument);
}

TEST_F(PrivateFileTest, AFileOfAnotherUserIsRefusedEvenWhenAtioCouldReadIt) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
  const fs::path p = write("theirs", "secret", 0600);
  ASSERT_EQ(::chown(p.c_str(), kNobody, kNobody), 0);
  fs::create_symlink("theirs", dir_ / "link");
  for (const fs::path& path : {p, dir_ / "link"}) {
    auto r = read_private_file(path.string(), "test key");
    EXPECT_EQ(r.status().code(), Code::kPermissionDenied);
    EXPECT_NE(r.status().message().find("uid 65534"), std::string::npos) << r.status().message();
  }
}

TEST_F(PrivateFileTest, RootMayLetItsChosenGroupReadAFileItProvides) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to provide the file and to switch users";
  // As Kubernetes mounts a Secret for a pod with fsGroup: root:fsGroup 0440.
  const fs::path p = write("..data/admin-key", "atio_key", 0440);
  ASSERT_EQ(::chown(p.c_str(), 0, kNobody), 0);
  fs::create_symlink("..data/admin-key", dir_ / "admin-key");
  EXPECT_EQ(read_as_nobody(dir_ / "admin-key", "atio_key"), 0);
  ASSERT_EQ(::chmod(p.c_str(), 0640), 0);
  EXPECT_EQ(read_as_nobody(p, "atio_key"), 0);
  // The group may not write it, and nobody else may read it.
  ASSERT_EQ(::chmod(p.c_str(), 0460), 0);
  EXPECT_EQ(read_as_nobody(p, "atio_key"), 1);
  ASSERT_EQ(::chmod(p.c_str(), 0444), 0);
  EXPECT_EQ(read_as_nobody(p, "atio_key"), 1);
}

TEST_F(PrivateFileTest, RootItselfKeepsItsOwnFilesPrivate) {
  if (::geteuid() != 0) GTEST_SKIP() << "the rule for root's own files";
  // For root, a root-owned file is its own file: the group may not read it.
  auto r = read_private_file(write("key", "secret", 0640).string(), "test key");
  EXPECT_EQ(r.status().code(), Code::kPermissionDenied);
  EXPECT_NE(r.status().message().find("chmod 600"), std::string::npos);
}

}  // namespace
}  // namespace atio
