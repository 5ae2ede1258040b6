// Large step outputs in the store (store/large_outputs.h), on every backend:
// bytes written in chunks read back by any offset and length, fenced like
// the journal, readable only once their record is written, and deleted with
// their execution.
#include "backend_test.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "atio/core/ids.h"

namespace atio::store {
namespace {

class LargeOutputsStoreTest : public BackendTest {
 protected:
  ExecutionRecord insert_execution(const std::string& owner = "") {
    ExecutionRecord e;
    e.id = uuid_v4();
    e.playbook_id = "playbook--x";
    e.playbook_version = "v";
    e.trigger = {{"kind", "manual"}};
    e.created_at_ms = 1;
    e.owner = owner;
    Status s = store_->write({InsertExecution{e}});
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return e;
  }

  // Every byte value, NUL included, in an order that repeats only every
  // 251 * 256 bytes, so a chunk put at the wrong place reads differently.
  static std::string bytes(std::size_t n) {
    std::string out(n, '\0');
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>((i + i / 251) % 256);
    return out;
  }

  // Writes `data` as output `id` in chunks of `chunk` bytes, one batch per
  // chunk as the engine does, then its record.
  LargeOutputRecord put(const ExecutionRecord& e, const std::string& data, std::int64_t chunk,
                        const std::string& owner = "", const std::string& id = uuid_v4()) {
    for (std::int64_t i = 0; i * chunk < static_cast<std::int64_t>(data.size()); ++i) {
      Status s = store_->write({PutLargeOutputChunk{
          id, e.id, i, data.substr(static_cast<std::size_t>(i * chunk), static_cast<std::size_t>(chunk)),
          owner}});
      EXPECT_TRUE(s.is_ok()) << s.to_string();
    }
    LargeOutputRecord r;
    r.id = id;
    r.execution_id = e.id;
    r.step_key = "action--a";
    r.name = "stdout";
    r.media_type = "application/octet-stream";
    r.bytes = static_cast<std::int64_t>(data.size());
    r.chunk_bytes = chunk;
    r.created_at_ms = 7;
    Status s = store_->write({PutLargeOutput{r, owner}});
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return r;
  }

  std::string read(const std::string& id, std::int64_t offset, std::int64_t length) {
    auto r = store_->read_large_output(id, offset, length);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? *r : "<error>";
  }
};
ATIO_ON_EVERY_BACKEND(LargeOutputsStoreTest);

TEST_P(LargeOutputsStoreTest, ReadsAnyRangeOfTheBytesWritten) {
  ExecutionRecord e = insert_execution();
  const std::string data = bytes(2 * 1000 + 345);  // two full chunks and a short one
  LargeOutputRecord written = put(e, data, 1000);

  auto got = store_->get_large_output(written.id);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->execution_id, e.id);
  EXPECT_EQ((*got)->step_key, "action--a");
  EXPECT_EQ((*got)->name, "stdout");
  EXPECT_EQ((*got)->media_type, "application/octet-stream");
  EXPECT_EQ((*got)->bytes, 2345);
  EXPECT_EQ((*got)->chunk_bytes, 1000);
  EXPECT_EQ((*got)->created_at_ms, 7);

  EXPECT_EQ(read(written.id, 0, 1 << 20), data);
  // Within a chunk, across chunk boundaries, up to and past the end.
  for (auto [offset, length] : std::vector<std::pair<std::int64_t, std::int64_t>>{
           {0, 1}, {10, 100}, {999, 2}, {500, 1000}, {0, 1000}, {1000, 1000}, {1999, 346},
           {2000, 345}, {2344, 1}, {2300, 1000}, {1, 2343}}) {
    const std::string expected =
        data.substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(length));
    EXPECT_EQ(read(written.id, offset, length), expected) << offset << "+" << length;
  }
  EXPECT_EQ(read(written.id, 2345, 10), "");   // at the end
  EXPECT_EQ(read(written.id, 99999, 10), "");  // past it
  EXPECT_EQ(read(written.id, 5, 0), "");
}

TEST_P(LargeOutputsStoreTest, ChunksOfTheEngineSizeRoundTrip) {
  ExecutionRecord e = insert_execution();
  const std::string data = bytes(static_cast<std::size_t>(kLargeOutputChunkBytes) * 3 + 17);
  LargeOutputRecord written = put(e, data, kLargeOutputChunkBytes);
  EXPECT_EQ(read(written.id, 0, static_cast<std::int64_t>(data.size())), data);
  EXPECT_EQ(read(written.id, kLargeOutputChunkBytes - 3, 6),
            data.substr(static_cast<std::size_t>(kLargeOutputChunkBytes) - 3, 6));
}

TEST_P(LargeOutputsStoreTest, AnEmptyOutputHasARecordAndNoBytes) {
  ExecutionRecord e = insert_execution();
  LargeOutputRecord written = put(e, "", 1000);
  auto got = store_->get_large_output(written.id);
  ASSERT_TRUE(got.is_ok() && got->has_value());
  EXPECT_EQ((*got)->bytes, 0);
  EXPECT_EQ(read(written.id, 0, 100), "");
}

TEST_P(LargeOutputsStoreTest, AnOutputIsNotReadableBeforeItsRecord) {
  ExecutionRecord e = insert_execution();
  ASSERT_TRUE(store_->write({PutLargeOutputChunk{"out-1", e.id, 0, "abc", ""}}).is_ok());
  auto got = store_->get_large_output("out-1");
  ASSERT_TRUE(got.is_ok());
  EXPECT_FALSE(got->has_value());
  auto r = store_->read_large_output("out-1", 0, 3);
  EXPECT_EQ(r.status().code(), Code::kNotFound);
}

TEST_P(LargeOutputsStoreTest, AMissingChunkIsAnErrorNotShortData) {
  ExecutionRecord e = insert_execution();
  ASSERT_TRUE(store_->write({PutLargeOutputChunk{"out-2", e.id, 0, "abc", ""},
                             PutLargeOutputChunk{"out-2", e.id, 2, "ghi", ""}})
                  .is_ok());
  LargeOutputRecord r;
  r.id = "out-2";
  r.execution_id = e.id;
  r.bytes = 9;
  r.chunk_bytes = 3;
  ASSERT_TRUE(store_->write({PutLargeOutput{r, ""}}).is_ok());
  EXPECT_EQ(read("out-2", 0, 3), "abc");
  EXPECT_EQ(read("out-2", 6, 3), "ghi");
  auto across = store_->read_large_output("out-2", 0, 9);
  EXPECT_FALSE(across.is_ok());
  EXPECT_NE(across.status().message().find("missing"), std::string::npos)
      << across.status().to_string();
}

TEST_P(LargeOutputsStoreTest, AChunkWrittenAgainReplacesTheFirst) {
  ExecutionRecord e = insert_execution();
  ASSERT_TRUE(store_->write({PutLargeOutputChunk{"out-3", e.id, 0, "old", ""}}).is_ok());
  ASSERT_TRUE(store_->write({PutLargeOutputChunk{"out-3", e.id, 0, "new", ""}}).is_ok());
  LargeOutputRecord r;
  r.id = "out-3";
  r.execution_id = e.id;
  r.bytes = 3;
  r.chunk_bytes = 3;
  ASSERT_TRUE(store_->write({PutLargeOutput{r, ""}}).is_ok());
  EXPECT_EQ(read("out-3", 0, 3), "new");
}

TEST_P(LargeOutputsStoreTest, WritesAreFencedByTheExecutionsOwner) {
  ExecutionRecord e = insert_execution("node-a");
  // The owner writes.
  LargeOutputRecord mine = put(e, "mine", 2, "node-a");
  EXPECT_EQ(read(mine.id, 0, 4), "mine");
  // Another node does not: neither chunks nor the record.
  Status chunk = store_->write({PutLargeOutputChunk{"theirs", e.id, 0, "xx", "node-b"}});
  EXPECT_TRUE(is_ownership_lost(chunk)) << chunk.to_string();
  LargeOutputRecord r;
  r.id = "theirs";
  r.execution_id = e.id;
  r.bytes = 2;
  r.chunk_bytes = 2;
  Status record = store_->write({PutLargeOutput{r, "node-b"}});
  EXPECT_TRUE(is_ownership_lost(record)) << record.to_string();
  EXPECT_EQ(count("SELECT count(*) FROM large_output_chunks WHERE output_id = 'theirs'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM large_outputs WHERE id = 'theirs'"), 0);
}

TEST_P(LargeOutputsStoreTest, DeletingAnExecutionDeletesItsOutputsOnly) {
  ExecutionRecord gone = insert_execution(), kept = insert_execution();
  LargeOutputRecord a = put(gone, bytes(2500), 1000);
  LargeOutputRecord b = put(kept, bytes(1500), 1000);
  // Chunks of an output whose record was never written (the process died
  // while writing it) go too.
  ASSERT_TRUE(store_->write({PutLargeOutputChunk{"orphan", gone.id, 0, "x", ""}}).is_ok());

  sql("DELETE FROM executions WHERE id = '" + gone.id + "'");

  EXPECT_EQ(count("SELECT count(*) FROM large_outputs WHERE execution_id = '" + gone.id + "'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM large_output_chunks WHERE execution_id = '" + gone.id +
                  "'"),
            0);
  auto got = store_->get_large_output(a.id);
  ASSERT_TRUE(got.is_ok());
  EXPECT_FALSE(got->has_value());
  EXPECT_EQ(read(b.id, 0, 1500), bytes(1500));
}

}  // namespace
}  // namespace atio::store
