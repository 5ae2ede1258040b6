// Large step outputs (engine/large_outputs.h, docs/large-outputs.md): a
// command's 50 MB file reaches the store in chunks without the process
// holding it, values over the threshold move there too, and the step's
// outputs hold references that read back to the very bytes.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "atio/engine/engine.h"
#include "atio/engine/large_outputs.h"
#include "support/engine_world.h"

namespace atio::engine {
namespace {

namespace bj = boost::json;

// The test's content: byte i of a file, cheap to compute anywhere, so no
// copy of the file is ever needed to check it. Printable ASCII with a
// newline every 80 bytes, like a script's stdout.
char content_byte(std::int64_t i) {
  return i % 81 == 80 ? '\n' : static_cast<char>('!' + (i * 7 + i / 81) % 90);
}
std::string content(std::int64_t offset, std::int64_t length) {
  std::string s(static_cast<std::size_t>(length), '\0');
  for (std::int64_t i = 0; i < length; ++i) s[static_cast<std::size_t>(i)] = content_byte(offset + i);
  return s;
}

// Writes `bytes` of content to an anonymous file, 64 KiB at a time, and
// returns it positioned at its end (the engine must read from offset 0).
UniqueFd content_file(std::int64_t bytes) {
  UniqueFd fd(::memfd_create("atio-test-output", MFD_CLOEXEC));
  for (std::int64_t off = 0; off < bytes; off += 65536) {
    const std::string piece = content(off, std::min<std::int64_t>(65536, bytes - off));
    if (::write(fd.get(), piece.data(), piece.size()) != static_cast<ssize_t>(piece.size())) {
      return UniqueFd();
    }
  }
  return fd;
}

// A command type that stands for a script: it hands the engine what the
// test puts in `make`.
class FakeCommand final : public actions::CommandType {
 public:
  FakeCommand(std::string name, std::function<actions::Outcome()> make)
      : name_(std::move(name)), make_(std::move(make)) {}
  std::string_view name() const override { return name_; }
  void start(actions::Invocation, actions::Done done) override {
    // From a thread of its own, as a script runner answers.
    std::thread([this, done = std::move(done)] { done(make_()); }).detach();
  }

 private:
  std::string name_;
  std::function<actions::Outcome()> make_;
};

std::string playbook(const std::string& id, const std::string& type) {
  return R"({"type":"playbook","spec_version":"cacao-2.0","id":")" + id + R"(","name":"p",
    "created_by":"identity--00000000-0000-4000-8000-000000000002",
    "created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
    "agent_definitions":{"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f":{"type":"individual","name":"soc"}},
    "workflow_start":"start--00000000-0000-4000-8000-000000000010",
    "workflow":{
      "start--00000000-0000-4000-8000-000000000010":{"type":"start","on_completion":"action--00000000-0000-4000-8000-000000000011"},
      "action--00000000-0000-4000-8000-000000000011":{"type":"action",
        "agent":"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f",
        "commands":[{"type":")" + type + R"(","command":"run"}],
        "on_completion":"end--00000000-0000-4000-8000-000000000014"},
      "end--00000000-0000-4000-8000-000000000014":{"type":"end"}}})";
}

std::string text(const bj::value& v) { return v.is_string() ? std::string(v.get_string()) : "<not text>"; }

// The peak resident memory since the last reset_peak_rss() (VmHWM), in bytes.
std::int64_t peak_rss() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return -1;
}
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.close();
  return static_cast<bool>(out);
}

class LargeOutputsTest : public ::testing::Test {
 protected:
  const std::string id_ = "playbook--00000000-0000-4000-8000-0000000000c1";

  // Runs the playbook once with a command of type `type`; the action step's record.
  store::StepRecord run_action(const std::string& type, EngineOptions options = {}) {
    std::string error;
    EXPECT_TRUE(w_.add_playbook(playbook(id_, type), &error)) << error;
    EXPECT_EQ(w_.open_store(), "");
    Engine engine(options, *w_.store, w_.registry, w_.source, w_.board);
    auto ids = engine.start_sync(id_, std::vector<bj::object>(1), {});
    EXPECT_TRUE(ids.is_ok()) << ids.status().to_string();
    if (!ids.is_ok()) return {};
    engine.wait_idle();
    execution_id_ = (*ids)[0];
    auto steps = w_.store->get_steps(execution_id_);
    EXPECT_TRUE(steps.is_ok());
    for (const auto& s : *steps) {
      if (s.step_type == "action") return s;
    }
    ADD_FAILURE() << "no action step";
    return {};
  }

  // The reference's fields; fails the test when `v` is not a reference.
  static const bj::object& ref(const bj::value& v) {
    static const bj::object none;
    EXPECT_TRUE(is_large_output_reference(v)) << bj::serialize(v);
    if (!is_large_output_reference(v)) return none;
    return v.as_object().at("x_atio_large_output").as_object();
  }

  std::string read(const bj::object& r, std::int64_t offset, std::int64_t length) {
    auto got = w_.store->read_large_output(std::string(r.at("id").as_string()), offset, length);
    EXPECT_TRUE(got.is_ok()) << got.status().to_string();
    return got.is_ok() ? *got : "";
  }

  atio::testing::EngineWorld w_;
  std::string execution_id_;
};

TEST_F(LargeOutputsTest, AFiftyMegabyteFileIsStoredInChunksWithBoundedMemory) {
  constexpr std::int64_t kBytes = 50ll * 1024 * 1024;
  w_.registry.add(std::make_unique<FakeCommand>("x-test-script", [] {
    actions::Outcome o;
    o.outputs = {{"exit_code", 0}};
    o.files.push_back({"stdout", content_file(kBytes), "text/plain"});
    return o;
  }));
  // Peak memory of the run alone: the file lives in the kernel (memfd, not
  // mapped), so a process that read it whole would grow by 50 MB.
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer keeps freed memory in quarantine (256 MB): resident
  // memory says nothing about what the engine holds.
  const bool measured = false;
#else
  const bool measured = reset_peak_rss();
#endif
  const std::int64_t before = peak_rss();
  store::StepRecord step = run_action("x-test-script");
  const std::int64_t growth = peak_rss() - before;

  ASSERT_EQ(step.status, store::StepStatus::kSucceeded) << step.error;
  EXPECT_EQ(step.outputs.at("exit_code"), 0);
  const bj::object& r = ref(step.outputs.at("stdout"));
  EXPECT_EQ(r.at("bytes"), kBytes);
  EXPECT_EQ(r.at("name"), "stdout");
  EXPECT_EQ(r.at("media_type"), "text/plain");
  EXPECT_EQ(text(r.at("preview")), content(0, 4096));
  EXPECT_EQ(r.at("preview_bytes"), 4096);
  // The journal row stays small: the reference, not the bytes.
  EXPECT_LT(bj::serialize(step.outputs).size(), 8192u);
  if (measured) {
    EXPECT_LT(growth, 16ll * 1024 * 1024) << "peak memory grew by " << growth << " bytes";
  }

  // Every byte reads back, a megabyte at a time, and ranges anywhere.
  for (std::int64_t off = 0; off < kBytes; off += 1 << 20) {
    ASSERT_EQ(read(r, off, 1 << 20), content(off, 1 << 20)) << "at " << off;
  }
  EXPECT_EQ(read(r, kBytes - 100, 1000), content(kBytes - 100, 100));
  EXPECT_EQ(read(r, 262143, 3), content(262143, 3));  // across a chunk boundary
  auto rec = w_.store->get_large_output(std::string(r.at("id").as_string()));
  ASSERT_TRUE(rec.is_ok() && rec->has_value());
  EXPECT_EQ((*rec)->execution_id, execution_id_);
  EXPECT_EQ((*rec)->step_key, step.step_key);
}

TEST_F(LargeOutputsTest, ValuesOverTheThresholdMoveAndSmallOnesStay) {
  const std::string body(3 * 1024 * 1024 + 5, 'b');
  bj::array rows;
  for (int i = 0; i < 40000; ++i) rows.push_back(bj::object{{"row", i}, {"text", "é and \"q\""}});
  const bj::value doc = bj::object{{"rows", rows}};
  w_.registry.add(std::make_unique<FakeCommand>("x-test-big", [&] {
    actions::Outcome o;
    o.outputs = {{"body", body}, {"doc", doc}, {"status", 200}, {"note", std::string(1000, 'n')}};
    return o;
  }));
  store::StepRecord step = run_action("x-test-big");
  ASSERT_EQ(step.status, store::StepStatus::kSucceeded) << step.error;
  EXPECT_EQ(step.outputs.at("status"), 200);
  EXPECT_EQ(text(step.outputs.at("note")), std::string(1000, 'n'));

  // A string is stored as its text.
  const bj::object& b = ref(step.outputs.at("body"));
  EXPECT_EQ(b.at("media_type"), "text/plain; charset=utf-8");
  EXPECT_EQ(b.at("bytes"), static_cast<std::int64_t>(body.size()));
  EXPECT_EQ(read(b, 0, static_cast<std::int64_t>(body.size())), body);
  // Any other value as its JSON.
  const bj::object& d = ref(step.outputs.at("doc"));
  EXPECT_EQ(d.at("media_type"), "application/json");
  const std::string json = read(d, 0, d.at("bytes").as_int64());
  EXPECT_EQ(bj::parse(json), doc);
  EXPECT_EQ(d.at("bytes").as_int64(), static_cast<std::int64_t>(bj::serialize(doc).size()));
}

TEST_F(LargeOutputsTest, TheThresholdIsAnOption) {
  w_.registry.add(std::make_unique<FakeCommand>("x-test-small", [] {
    actions::Outcome o;
    // JSON sizes: "aaaa..." with quotes is 100 and 101 bytes.
    o.outputs = {{"at", std::string(98, 'a')}, {"over", std::string(99, 'a')}};
    return o;
  }));
  EngineOptions options;
  options.large_output_bytes = 100;
  store::StepRecord step = run_action("x-test-small", options);
  ASSERT_EQ(step.status, store::StepStatus::kSucceeded) << step.error;
  EXPECT_EQ(text(step.outputs.at("at")), std::string(98, 'a'));
  EXPECT_EQ(ref(step.outputs.at("over")).at("bytes"), 99);
}

TEST_F(LargeOutputsTest, ThePreviewEndsOnACharacterBoundary) {
  // "€" (3 bytes) straddles byte 4096: the preview stops before it.
  const std::string utf8 = std::string(4094, 'x') + "\xE2\x82\xAC" + std::string(5000, 'y');
  w_.registry.add(std::make_unique<FakeCommand>("x-test-utf8", [utf8] {
    actions::Outcome o;
    UniqueFd fd(::memfd_create("atio-test-utf8", MFD_CLOEXEC));
    if (::write(fd.get(), utf8.data(), utf8.size()) != static_cast<ssize_t>(utf8.size())) return o;
    o.files.push_back({"report", std::move(fd), ""});
    return o;
  }));
  store::StepRecord step = run_action("x-test-utf8");
  ASSERT_EQ(step.status, store::StepStatus::kSucceeded) << step.error;
  const bj::object& r = ref(step.outputs.at("report"));
  EXPECT_EQ(text(r.at("preview")), std::string(4094, 'x'));
  EXPECT_EQ(r.at("preview_bytes"), 4094);
  EXPECT_EQ(r.at("media_type"), "application/octet-stream");
  EXPECT_EQ(read(r, 4094, 3), "\xE2\x82\xAC");
}

TEST_F(LargeOutputsTest, AFileThatCannotBeReadFailsTheStepWithoutAReference) {
  w_.registry.add(std::make_unique<FakeCommand>("x-test-unreadable", [] {
    actions::Outcome o;
    // Opened for writing only: reading it fails.
    o.files.push_back({"stdout", UniqueFd(::open("/dev/null", O_WRONLY | O_CLOEXEC)), "text/plain"});
    return o;
  }));
  store::StepRecord step = run_action("x-test-unreadable");
  EXPECT_EQ(step.status, store::StepStatus::kFailed);
  EXPECT_NE(step.error.find("storing output 'stdout'"), std::string::npos) << step.error;
  EXPECT_FALSE(step.outputs.contains("stdout"));
}

}  // namespace
}  // namespace atio::engine
