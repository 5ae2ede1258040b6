#include "atio/engine/large_outputs.h"

#include <boost/json/serializer.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "atio/core/ids.h"
#include "atio/core/utf8.h"

namespace atio::engine {

namespace {

// Where an output's bytes come from, read in order.
class ChunkSource {
 public:
  virtual ~ChunkSource() = default;
  // Sets *out to the next up to `max` bytes; fewer only at the end.
  virtual Status read(std::size_t max, std::string* out) = 0;
};

// A file a command wrote, from offset 0 whatever its position (a pipe,
// which has no offsets, is read as it comes).
class FileSource final : public ChunkSource {
 public:
  FileSource(UniqueFd fd, std::string name) : fd_(std::move(fd)), name_(std::move(name)) {}

  Status read(std::size_t max, std::string* out) override {
    out->resize(max);
    std::size_t got = 0;
    while (got < max) {
      const ssize_t n = seekable_ ? ::pread(fd_.get(), out->data() + got, max - got, offset_)
                                  : ::read(fd_.get(), out->data() + got, max - got);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == ESPIPE && seekable_ && offset_ == 0) {
          seekable_ = false;
          continue;
        }
        return Status(Code::kIo, "reading output '" + name_ + "': " + std::strerror(errno));
      }
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
      offset_ += n;
    }
    out->resize(got);
    return Status();
  }

 private:
  UniqueFd fd_;
  std::string name_;
  off_t offset_ = 0;
  bool seekable_ = true;
};

// A value's JSON, serialised a chunk at a time: never whole in memory twice.
class JsonSource final : public ChunkSource {
 public:
  explicit JsonSource(bj::value v) : value_(std::move(v)) { sr_.reset(&value_); }

  Status read(std::size_t max, std::string* out) override {
    out->resize(max);
    std::size_t got = 0;
    while (got < max && !sr_.done()) got += sr_.read(out->data() + got, max - got).size();
    out->resize(got);
    return Status();
  }

 private:
  bj::value value_;
  bj::serializer sr_;  // reads value_
};

// A string value's text.
class TextSource final : public ChunkSource {
 public:
  explicit TextSource(bj::string s) : text_(std::move(s)) {}

  Status read(std::size_t max, std::string* out) override {
    const std::size_t n = std::min(max, text_.size() - pos_);
    out->assign(text_.data() + pos_, n);
    pos_ += n;
    return Status();
  }

 private:
  bj::string text_;
  std::size_t pos_ = 0;
};

// An upper bound of the size of v's JSON, walking no further once past
// `limit` (a string escapes to at most 6 bytes a byte, a number to 32).
std::size_t json_bound(const bj::value& v, std::size_t limit) {
  switch (v.kind()) {
    case bj::kind::string:
      return 6 * v.get_string().size() + 2;
    case bj::kind::array: {
      std::size_t n = 2;
      for (const auto& e : v.get_array()) {
        n += json_bound(e, limit) + 1;
        if (n > limit) break;
      }
      return n;
    }
    case bj::kind::object: {
      std::size_t n = 2;
      for (const auto& kv : v.get_object()) {
        n += 6 * kv.key().size() + 4 + json_bound(kv.value(), limit);
        if (n > limit) break;
      }
      return n;
    }
    default:
      return 32;
  }
}

// True when v's JSON has more than `limit` bytes. Most outputs are far
// smaller, which the bound shows without serialising; otherwise serialises
// at most a little past the limit.
bool json_larger_than(const bj::value& v, std::size_t limit) {
  if (json_bound(v, limit) <= limit) return false;
  bj::serializer sr;
  sr.reset(&v);
  char buf[4096];
  std::size_t n = 0;
  while (!sr.done()) {
    n += sr.read(buf, sizeof buf).size();
    if (n > limit) return true;
  }
  return false;
}

class Saver : public std::enable_shared_from_this<Saver> {
 public:
  struct Item {
    std::string name;
    std::string media_type;
    std::unique_ptr<ChunkSource> source;
  };

  Saver(store::Store& store, std::function<void(std::function<void()>)> post,
        LargeOutputTarget target, std::shared_ptr<actions::Outcome> outcome,
        std::function<bool()> cancelled, std::function<void(Status)> done, std::vector<Item> items)
      : store_(store),
        post_(std::move(post)),
        target_(std::move(target)),
        outcome_(std::move(outcome)),
        cancelled_(std::move(cancelled)),
        done_(std::move(done)),
        items_(std::move(items)) {}

  // Starts on a worker with the first item.
  void next_item() {
    bool all_stored = false;
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (next_ >= items_.size()) {
        all_stored = finished_ = true;
      } else {
        const Item& item = items_[next_];
        record_ = store::LargeOutputRecord{};
        record_.id = uuid_v4();
        record_.execution_id = target_.execution_id;
        record_.step_key = target_.step_key;
        record_.name = item.name;
        record_.media_type = item.media_type;
        record_.chunk_bytes = store::kLargeOutputChunkBytes;
        record_.created_at_ms = target_.now_ms;
        head_.clear();
        chunk_ = 0;
        eof_ = false;
        record_sent_ = false;
      }
    }
    if (all_stored) return finish(Status());
    pump();
  }

 private:
  // Reads and sends chunks while fewer than the window are in flight; sends
  // the record once the last chunk is durable. On a worker.
  void pump() {
    std::vector<store::PutLargeOutputChunk> send;
    std::optional<store::PutLargeOutput> send_record;
    bool finish_now = false;
    Status failure;
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (finished_) return;
      if (status_.is_ok() && cancelled_ && cancelled_()) {
        status_ = Status(Code::kAborted, "cancelled while storing output '" + record_.name + "'");
      }
      Item& item = items_[next_];
      while (status_.is_ok() && !eof_ && in_flight_ < std::max<std::size_t>(target_.window, 1)) {
        std::string data;
        Status s = item.source->read(static_cast<std::size_t>(record_.chunk_bytes), &data);
        if (!s.is_ok()) {
          status_ = std::move(s);
          break;
        }
        if (static_cast<std::int64_t>(data.size()) < record_.chunk_bytes) eof_ = true;
        if (data.empty()) break;
        if (head_.size() < kPreviewBytes) {
          head_.append(data, 0, std::min(data.size(), kPreviewBytes - head_.size()));
        }
        record_.bytes += static_cast<std::int64_t>(data.size());
        ++in_flight_;
        send.push_back(store::PutLargeOutputChunk{record_.id, record_.execution_id, chunk_++,
                                                  std::move(data), target_.owner});
      }
      if (!status_.is_ok()) {
        if (in_flight_ == 0) {
          finish_now = finished_ = true;
          failure = status_;
        }
      } else if (eof_ && in_flight_ == 0 && !record_sent_) {
        record_sent_ = true;
        send_record = store::PutLargeOutput{record_, target_.owner};
      }
    }
    auto self = shared_from_this();
    for (auto& chunk : send) {
      store_.submit({std::move(chunk)}, [self](Status s) {
        // On the store's thread: back to a worker, off the journal's path.
        self->post_([self, s = std::move(s)]() mutable { self->chunk_written(std::move(s)); });
      });
    }
    if (send_record) {
      store_.submit({std::move(*send_record)}, [self](Status s) {
        self->post_([self, s = std::move(s)]() mutable { self->record_written(std::move(s)); });
      });
    }
    if (finish_now) finish(std::move(failure));
  }

  void chunk_written(Status s) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      --in_flight_;
      if (!s.is_ok() && status_.is_ok()) status_ = std::move(s);
    }
    pump();
  }

  void record_written(Status s) {
    if (!s.is_ok()) {
      {
        std::lock_guard<std::mutex> lk(mu_);
        finished_ = true;
      }
      return finish(std::move(s));
    }
    {
      std::lock_guard<std::mutex> lk(mu_);
      outcome_->outputs[items_[next_].name] = large_output_reference(record_, head_);
      items_[next_].source.reset();  // closes a file now
      ++next_;
    }
    next_item();
  }

  void finish(Status s) {
    if (!s.is_ok()) {
      std::lock_guard<std::mutex> lk(mu_);
      s = std::move(s).with_context("storing output '" + record_.name + "'");
    }
    items_.clear();
    auto done = std::move(done_);
    done(std::move(s));
  }

  store::Store& store_;
  std::function<void(std::function<void()>)> post_;
  LargeOutputTarget target_;
  std::shared_ptr<actions::Outcome> outcome_;
  std::function<bool()> cancelled_;
  std::function<void(Status)> done_;

  std::mutex mu_;  // guards what follows
  std::vector<Item> items_;
  std::size_t next_ = 0;      // the item being stored
  store::LargeOutputRecord record_;  // its record, bytes counted as read
  std::string head_;          // its first kPreviewBytes bytes
  std::int64_t chunk_ = 0;    // its next chunk's index
  std::size_t in_flight_ = 0;  // its chunks submitted and not yet durable
  bool eof_ = false;
  bool record_sent_ = false;
  bool finished_ = false;     // done_ is called (or about to be)
  Status status_;
};

}  // namespace

bool has_large_outputs(const actions::Outcome& outcome, std::size_t threshold) {
  if (!outcome.files.empty()) return true;
  for (const auto& kv : outcome.outputs) {
    if (json_larger_than(kv.value(), threshold)) return true;
  }
  return false;
}

void store_large_outputs(store::Store& store, std::function<void(std::function<void()>)> post,
                         LargeOutputTarget target, std::shared_ptr<actions::Outcome> outcome,
                         std::function<bool()> cancelled, std::function<void(Status)> done) {
  std::vector<Saver::Item> items;
  // Values first: they leave memory as soon as they are stored.
  std::vector<std::string> large;
  for (const auto& kv : outcome->outputs) {
    if (json_larger_than(kv.value(), target.threshold)) large.emplace_back(kv.key());
  }
  for (const auto& name : large) {
    bj::value v = std::move(outcome->outputs[name]);
    outcome->outputs.erase(name);
    if (v.is_string()) {
      items.push_back({name, "text/plain; charset=utf-8",
                       std::make_unique<TextSource>(std::move(v.get_string()))});
    } else {
      items.push_back({name, "application/json", std::make_unique<JsonSource>(std::move(v))});
    }
  }
  for (auto& f : outcome->files) {
    std::string name = f.name.empty() ? "file" : f.name;
    std::string media = f.media_type.empty() ? "application/octet-stream" : f.media_type;
    outcome->outputs.erase(name);  // the file's reference takes its place
    items.push_back({name, std::move(media),
                     std::make_unique<FileSource>(std::move(f.fd), name)});
  }
  outcome->files.clear();
  auto saver = std::make_shared<Saver>(store, post, std::move(target), std::move(outcome),
                                       std::move(cancelled), std::move(done), std::move(items));
  post([saver] { saver->next_item(); });
}

bj::object large_output_reference(const store::LargeOutputRecord& record, std::string_view head) {
  std::size_t used = 0;
  std::string preview = utf8_text_prefix(head, &used);
  // A whole output that ends inside a character shows its last bytes too
  // (as U+FFFD): there is nothing after them to complete it.
  if (static_cast<std::int64_t>(head.size()) == record.bytes && used < head.size()) {
    for (; used < head.size(); ++used) preview += "\xEF\xBF\xBD";
  }
  bj::object ref{{"id", record.id},
                 {"name", record.name},
                 {"bytes", record.bytes},
                 {"media_type", record.media_type},
                 {"preview", std::move(preview)},
                 {"preview_bytes", static_cast<std::int64_t>(used)}};
  return bj::object{{kLargeOutputKey, std::move(ref)}};
}

bool is_large_output_reference(const bj::value& value) {
  const bj::object* o = value.if_object();
  if (!o || o->size() != 1) return false;
  const auto it = o->find(kLargeOutputKey);
  return it != o->end() && it->value().is_object();
}

}  // namespace atio::engine
