// Large step outputs (docs/large-outputs.md): a page of one, by offset and
// limit, and the whole of it as a download streamed a chunk at a time.
// Readable by whoever may read the execution (Permission::kExecutionRead),
// and only under that execution's id.
#include <atomic>

#include "atio/core/base64.h"
#include "atio/core/utf8.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"

namespace atio::server {

namespace {

constexpr std::int64_t kDefaultPageBytes = 64 * 1024;
constexpr std::int64_t kMaxPageBytes = 1024 * 1024;

// The output `output_id` of execution `id`; *error set (404) when either is
// unknown or the output is another execution's.
std::optional<store::LargeOutputRecord> find_output(ApiContext& ctx, const Request& request,
                                                    Response* error) {
  const std::string& id = request.param("id");
  const std::string& output_id = request.param("output_id");
  auto rec = ctx.store->get_large_output(output_id);
  if (!rec.is_ok()) {
    *error = error_response(rec.status());
    return std::nullopt;
  }
  if (!*rec || (*rec)->execution_id != id) {
    *error = error_response(404, "not_found",
                            "execution " + id + " has no large output " + output_id);
    return std::nullopt;
  }
  return std::move(*rec);
}

bj::object describe(const store::LargeOutputRecord& r) {
  return bj::object{{"id", r.id},           {"execution_id", r.execution_id},
                    {"step_key", r.step_key}, {"name", r.name},
                    {"media_type", r.media_type}, {"bytes", r.bytes}};
}

Response page(ApiContext& ctx, const Request& request) {
  Response error;
  auto rec = find_output(ctx, request, &error);
  if (!rec) return error;
  std::int64_t offset = 0, limit = kDefaultPageBytes;
  if (!integer_query(request, "offset", 0, std::numeric_limits<std::int64_t>::max(), &offset,
                     &error) ||
      !integer_query(request, "limit", 1, kMaxPageBytes, &limit, &error)) {
    return error;
  }
  if (offset > rec->bytes) {
    return query_error("offset", "is past the end of the output (" + std::to_string(rec->bytes) +
                                     " bytes)");
  }
  auto bytes = ctx.store->read_large_output(rec->id, offset, limit);
  if (!bytes.is_ok()) return error_response(bytes.status());
  // Text when the bytes are UTF-8; a character cut by the limit is left for
  // the next page (unless nothing else fits), so pages join into the text.
  std::size_t used = 0;
  const bool text = utf8_valid_prefix(*bytes, &used) && (used > 0 || bytes->empty()) &&
                    (used == bytes->size() || offset + static_cast<std::int64_t>(bytes->size()) < rec->bytes);
  bj::object o = describe(*rec);
  if (text) {
    bytes->resize(used);
    o["encoding"] = "utf-8";
  } else {
    used = bytes->size();
    o["encoding"] = "base64";
  }
  const std::int64_t end = offset + static_cast<std::int64_t>(used);
  o["offset"] = offset;
  o["length"] = static_cast<std::int64_t>(used);
  o["next_offset"] = end < rec->bytes ? bj::value(end) : bj::value(nullptr);
  o["data"] = text ? std::move(*bytes) : base64_encode(*bytes);
  return json_response(200, o);
}

// The output's bytes a chunk at a time, read when the connection can take
// them: memory stays one chunk per download whatever the size.
class DownloadStream final : public ResponseStream {
 public:
  DownloadStream(store::Store& store, store::LargeOutputRecord rec)
      : store_(store), rec_(std::move(rec)) {}

  void next(std::function<void(std::optional<std::string>)> write) override {
    if (closed_.load() || failed_.load() || offset_ >= rec_.bytes) return write(std::nullopt);
    const std::int64_t n = rec_.chunk_bytes > 0 ? rec_.chunk_bytes : store::kLargeOutputChunkBytes;
    auto bytes = store_.read_large_output(rec_.id, offset_, n);
    if (!bytes.is_ok() || bytes->empty()) {
      failed_.store(true);  // the client sees a cut response, never a short file as whole
      return write(std::nullopt);
    }
    offset_ += static_cast<std::int64_t>(bytes->size());
    write(std::move(*bytes));
  }
  void close() override { closed_.store(true); }
  bool failed() const override { return failed_.load(); }

 private:
  store::Store& store_;
  const store::LargeOutputRecord rec_;
  std::int64_t offset_ = 0;  // next() calls come one after the other
  std::atomic<bool> closed_{false};
  std::atomic<bool> failed_{false};
};

// A file name for Content-Disposition: the output's name, with only
// characters that need no quoting.
std::string file_name(const store::LargeOutputRecord& r) {
  std::string out;
  for (char c : r.name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    out += plain ? c : '_';
  }
  if (out.empty() || out[0] == '.') out = "output" + out;
  return out;
}

Response download(ApiContext& ctx, const Request& request) {
  Response error;
  auto rec = find_output(ctx, request, &error);
  if (!rec) return error;
  Response r;
  r.status = 200;
  r.content_type = rec->media_type.empty() ? "application/octet-stream" : rec->media_type;
  // What a step produced is never rendered by the browser as atio's own
  // page: always a download, never sniffed, sandboxed if opened anyway.
  r.header("Content-Disposition", "attachment; filename=\"" + file_name(*rec) + "\"");
  r.header("X-Content-Type-Options", "nosniff");
  r.header("Content-Security-Policy", "sandbox");
  r.header("X-Atio-Output-Bytes", std::to_string(rec->bytes));
  r.header("Cache-Control", "no-store");
  r.stream = std::make_shared<DownloadStream>(*ctx.store, std::move(*rec));
  return r;
}

const std::vector<ParamDoc> kOutputParams = {
    {"id", "string", "The execution id (uuid)"},
    {"output_id", "string", "The large output's id (the reference's x_atio_large_output.id)"}};

}  // namespace

void add_large_output_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .pattern = "/api/v1/executions/{id}/outputs/{output_id}",
              .permission = Permission::kExecutionRead,
              .doc = {.operation_id = "getLargeOutputPage",
                      .summary = "A page of a large step output: `limit` bytes (default 65536, at "
                                 "most 1048576) from `offset`, as UTF-8 text or base64",
                      .tag = "executions",
                      .path_params = kOutputParams,
                      .query = {{"offset", "integer", "First byte of the page (default 0)"},
                                {"limit", "integer", "Bytes at most, 1-1048576 (default 65536)"}},
                      .responses = {{200, "The page", "LargeOutputPage"},
                                    {400, "offset or limit is not valid", "Error"},
                                    {404, "No such execution or output", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return page(ctx, r); })});
  router.add({.method = "GET",
              .pattern = "/api/v1/executions/{id}/outputs/{output_id}/download",
              .permission = Permission::kExecutionRead,
              .doc = {.operation_id = "downloadLargeOutput",
                      .summary = "The whole of a large step output, streamed (chunked), with its "
                                 "media type, as an attachment",
                      .tag = "executions",
                      .path_params = kOutputParams,
                      .responses = {{200, "The output's bytes", "LargeOutputBytes",
                                     "application/octet-stream"},
                                    {404, "No such execution or output", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return download(ctx, r); })});
}

}  // namespace atio::server
