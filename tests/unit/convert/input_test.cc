// Input::read_all on every kind of input: a string (handed over), a regular
// file (sized from the file), a pipe (no size known), and the size limit.
#include "atio/cti/convert/input.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace atio::convert {
namespace {

namespace fs = std::filesystem;

std::string sample(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 13) % 26);
  return s;
}

fs::path temp_path(const std::string& stem) {
  return fs::temp_directory_path() / (stem + "_" + std::to_string(::getpid()));
}

TEST(InputReadAll, StringInputGivesEverythingNotReadYet) {
  const std::string data = sample(100000);
  auto in = string_input("s", data);
  auto all = in->read_all();
  ASSERT_TRUE(all.is_ok());
  EXPECT_EQ(*all, data);

  auto partly = string_input("s", data);
  char head[10];
  ASSERT_EQ(*partly->read(head, sizeof head), sizeof head);
  auto rest = partly->read_all();
  ASSERT_TRUE(rest.is_ok());
  EXPECT_EQ(std::string(head, sizeof head) + *rest, data);
  EXPECT_EQ(*partly->read(head, sizeof head), 0u) << "nothing is left after read_all";
}

TEST(InputReadAll, FileIsReadWhole) {
  const fs::path path = temp_path("atio_input_file");
  const std::string data = sample(300001);
  std::ofstream(path, std::ios::binary) << data;
  auto in = open_file(path.string());
  ASSERT_TRUE(in.is_ok());
  auto all = (*in)->read_all();
  ASSERT_TRUE(all.is_ok()) << all.status().to_string();
  EXPECT_EQ(*all, data);
  fs::remove(path);
}

TEST(InputReadAll, PipeOfUnknownSizeIsReadWhole) {
  const fs::path path = temp_path("atio_input_fifo");
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  const std::string data = sample(1 << 20);
  std::thread writer([&] { std::ofstream(path, std::ios::binary) << data; });
  auto in = open_file(path.string());
  ASSERT_TRUE(in.is_ok());
  auto all = (*in)->read_all();
  writer.join();
  ASSERT_TRUE(all.is_ok()) << all.status().to_string();
  EXPECT_EQ(all->size(), data.size());
  EXPECT_EQ(*all, data);
  fs::remove(path);
}

TEST(InputReadAll, LargerThanTheLimitIsAnErrorNamingTheInput) {
  const fs::path path = temp_path("atio_input_limit");
  std::ofstream(path, std::ios::binary) << sample(5000);
  auto file = open_file(path.string());
  ASSERT_TRUE(file.is_ok());
  auto r = (*file)->read_all(4999);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kPayloadTooLarge);
  EXPECT_NE(r.status().to_string().find(path.string()), std::string::npos);
  fs::remove(path);

  auto exact = string_input("s", sample(5000))->read_all(5000);
  EXPECT_TRUE(exact.is_ok());
  auto over = string_input("named", sample(5000))->read_all(4999);
  ASSERT_FALSE(over.is_ok());
  EXPECT_NE(over.status().to_string().find("named"), std::string::npos);
}

}  // namespace
}  // namespace atio::convert
