// The large output routes (server/api/large_outputs.cc) on outputs written
// straight into the store: bytes that are not UTF-8 come as base64 pages
// that join into the very bytes, a download reads chunk after chunk and a
// download whose bytes are missing ends as failed (cut short, not whole).
#include "server_test_support.h"

#include "atio/core/base64.h"

namespace atio::server {
namespace {

using testing::ServerTest;

class LargeOutputsApiTest : public ServerTest {
 protected:
  // An execution with output `id` of `data`, in chunks of `chunk` bytes;
  // chunk `skip` (if >= 0) is left out.
  std::string put_output(const std::string& id, const std::string& data, std::int64_t chunk,
                         std::int64_t skip = -1) {
    store::ExecutionRecord e;
    e.id = uuid_v4();
    e.playbook_id = "playbook--x";
    e.playbook_version = "v";
    e.status = store::ExecutionStatus::kSucceeded;
    e.created_at_ms = 1;
    EXPECT_TRUE(store_->write({store::InsertExecution{e}}).is_ok());
    for (std::int64_t i = 0; i * chunk < static_cast<std::int64_t>(data.size()); ++i) {
      if (i == skip) continue;
      EXPECT_TRUE(store_
                      ->write({store::PutLargeOutputChunk{
                          id, e.id, i,
                          data.substr(static_cast<std::size_t>(i * chunk), static_cast<std::size_t>(chunk)),
                          ""}})
                      .is_ok());
    }
    store::LargeOutputRecord r;
    r.id = id;
    r.execution_id = e.id;
    r.step_key = "action--a";
    r.name = "dump.bin";
    r.media_type = "application/octet-stream";
    r.bytes = static_cast<std::int64_t>(data.size());
    r.chunk_bytes = chunk;
    EXPECT_TRUE(store_->write({store::PutLargeOutput{r, ""}}).is_ok());
    return e.id;
  }

  // Every chunk the stream gives until it ends; *failed as it says then.
  static std::string drain(ResponseStream& s, bool* failed, int* chunks) {
    std::string all;
    *chunks = 0;
    for (;;) {
      std::optional<std::string> got;
      bool called = false;
      s.next([&](std::optional<std::string> c) {
        got = std::move(c);
        called = true;
      });
      EXPECT_TRUE(called);  // the download answers at once
      if (!got) break;
      all += *got;
      ++*chunks;
    }
    *failed = s.failed();
    return all;
  }

  static std::string binary(std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>(0x80 + (i * 31) % 128);
    return s;
  }
};

TEST_F(LargeOutputsApiTest, BinaryPagesAreBase64AndJoinIntoTheBytes) {
  const std::string data = binary(2500);
  const std::string exec = put_output("bin-1", data, 1000);
  std::string joined;
  bj::value offset = 0;
  int pages = 0;
  while (!offset.is_null()) {
    Response r = call("GET", "/api/v1/executions/" + exec + "/outputs/bin-1?limit=700&offset=" +
                                 std::to_string(offset.as_int64()));
    ASSERT_EQ(r.status, 200) << r.body;
    bj::value b = body(r);
    EXPECT_EQ(b.at("encoding"), "base64");
    EXPECT_EQ(b.at("bytes"), 2500);
    EXPECT_EQ(b.at("media_type"), "application/octet-stream");
    auto bytes = base64_decode(std::string(b.at("data").as_string()));
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(static_cast<std::int64_t>(bytes->size()), b.at("length").as_int64());
    joined += *bytes;
    offset = b.at("next_offset");
    ++pages;
  }
  EXPECT_EQ(joined, data);
  EXPECT_EQ(pages, 4);  // 700, 700, 700, 400
}

TEST_F(LargeOutputsApiTest, TheDownloadReadsChunkAfterChunk) {
  const std::string data = binary(2500);
  const std::string exec = put_output("bin-2", data, 1000);
  Response r = call("GET", "/api/v1/executions/" + exec + "/outputs/bin-2/download");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_NE(r.stream, nullptr);
  EXPECT_EQ(r.content_type, "application/octet-stream");
  EXPECT_EQ(header(r, "Content-Disposition"), "attachment; filename=\"dump.bin\"");
  bool failed = true;
  int chunks = 0;
  EXPECT_EQ(drain(*r.stream, &failed, &chunks), data);
  EXPECT_FALSE(failed);
  EXPECT_EQ(chunks, 3);
}

TEST_F(LargeOutputsApiTest, ADownloadWithMissingBytesEndsAsFailed) {
  const std::string data = binary(2500);
  const std::string exec = put_output("bin-3", data, 1000, /*skip=*/1);
  Response r = call("GET", "/api/v1/executions/" + exec + "/outputs/bin-3/download");
  ASSERT_EQ(r.status, 200) << r.body;
  bool failed = false;
  int chunks = 0;
  EXPECT_EQ(drain(*r.stream, &failed, &chunks), data.substr(0, 1000));
  EXPECT_TRUE(failed);
  // A page over the gap is an error, not short data.
  Response page = call("GET", "/api/v1/executions/" + exec + "/outputs/bin-3?offset=900&limit=200");
  EXPECT_EQ(page.status, 500) << page.body;
}

TEST_F(LargeOutputsApiTest, AnOutputOfAnotherExecutionIsNotFound) {
  put_output("bin-4", binary(10), 1000);
  const std::string other = put_output("bin-5", binary(10), 1000);
  EXPECT_EQ(call("GET", "/api/v1/executions/" + other + "/outputs/bin-4").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/executions/" + other + "/outputs/bin-4/download").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/executions/" + other + "/outputs/bin-5").status, 200);
}

}  // namespace
}  // namespace atio::server
