#include "atio/actions/http/http_client.h"
#include "atio/core/text.h"
#include "atio/core/thread_name.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace atio::actions {

namespace {

// One request from send() to done(). Owned by the queue, then by the
// in-flight table of the client thread.
struct Transfer {
  HttpRequest request;
  std::function<void(HttpResponse)> done;
  HttpResponse response;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  std::size_t max_bytes = 0;
  bool too_large = false;
  char error[CURL_ERROR_SIZE] = {0};

  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    if (header_list) curl_slist_free_all(header_list);
  }
};

bool has_header(const HttpHeaders& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return iequals(h.first, name); });
}

// RFC 9110 token characters, so a header name cannot smuggle a second header.
bool valid_header_name(std::string_view name) {
  if (name.empty()) return false;
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kExtra.find(c) != std::string_view::npos;
  });
}

bool valid_header_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->response.body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // makes libcurl fail the transfer with CURLE_WRITE_ERROR
  }
  t->response.body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    t->response.headers.clear();  // a new response (after 1xx or a redirect)
    return n;
  }
  if ((line.starts_with(" ") || line.starts_with("\t")) && !t->response.headers.empty()) {
    auto& last = t->response.headers.back().second;  // obsolete line folding
    last += ' ';
    last += trim(line);
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;  // blank line ending the block
  t->response.headers.emplace_back(std::string(trim(line.substr(0, colon))),
                                   std::string(trim(line.substr(colon + 1))));
  return n;
}

Status status_of(CURLcode code, const Transfer& t) {
  std::string detail = t.error[0] ? std::string(t.error) : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OK:
      return Status::ok();
    case CURLE_OPERATION_TIMEDOUT:
      return Status(Code::kTimeout, detail);
    case CURLE_FILESIZE_EXCEEDED:
      return Status(Code::kPayloadTooLarge, "response body exceeds the limit of " +
                                                std::to_string(t.max_bytes) + " bytes");
    case CURLE_WRITE_ERROR:
      if (t.too_large) {
        return Status(Code::kPayloadTooLarge, "response body exceeds the limit of " +
                                                  std::to_string(t.max_bytes) + " bytes");
      }
      return Status(Code::kUnavailable, detail);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return Status(Code::kInvalidArgument, detail);
    default:
      return Status(Code::kUnavailable, detail);
  }
}

}  // namespace

struct HttpClient::Impl {
  HttpClientOptions options;
  CURLM* multi = nullptr;
  std::thread thread;

  mutable std::mutex mu;
  std::deque<std::unique_ptr<Transfer>> queue;  // GUARDED_BY(mu)
  bool stopping = false;                        // GUARDED_BY(mu)
  std::atomic<std::size_t> pending{0};
  // True while the client thread is in (or about to enter) curl_multi_poll:
  // only then does send() need to wake it (a syscall and a task switch).
  std::atomic<bool> polling{false};

  // Client thread only.
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> in_flight;
  std::deque<std::unique_ptr<Transfer>> waiting;  // beyond max_in_flight
  // Easy handles of finished transfers, reset and reused: creating one per
  // request costs more than the request's own work in libcurl.
  std::vector<CURL*> spare;
  static constexpr std::size_t kMaxSpare = 256;

  void recycle(CURL* easy) {
    if (spare.size() < kMaxSpare) {
      curl_easy_reset(easy);
      spare.push_back(easy);
    } else {
      curl_easy_cleanup(easy);
    }
  }

  // Hands waiting transfers to libcurl up to max_in_flight.
  void fill() {
    const std::size_t cap = options.max_in_flight == 0 ? SIZE_MAX : options.max_in_flight;
    while (in_flight.size() < cap && !waiting.empty()) {
      std::unique_ptr<Transfer> t = std::move(waiting.front());
      waiting.pop_front();
      if (t->request.cancel && t->request.cancel->cancelled()) {
        finish(std::move(t), Status(Code::kAborted, "request cancelled"));
        continue;
      }
      start(std::move(t));
    }
  }

  explicit Impl(HttpClientOptions opts) : options(std::move(opts)) {
    static std::once_flag global_init;
    std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    multi = curl_multi_init();
    if (options.max_connections_per_host > 0) {
      curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_connections_per_host);
    }
    thread = named_thread("atio-curl", [this] { run(); });
  }

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(mu);
      stopping = true;
    }
    curl_multi_wakeup(multi);
    thread.join();
    for (CURL* e : spare) curl_easy_cleanup(e);
    curl_multi_cleanup(multi);
  }

  void finish(std::unique_ptr<Transfer> t, Status status) {
    if (t->easy) {
      curl_multi_remove_handle(multi, t->easy);
      recycle(t->easy);
      t->easy = nullptr;
    }
    t->response.status = std::move(status);
    auto done = std::move(t->done);
    HttpResponse response = std::move(t->response);
    t.reset();
    pending.fetch_sub(1, std::memory_order_relaxed);
    try {
      done(std::move(response));
    } catch (...) {
      // A callback's exception must not stop every other transfer.
    }
  }

  // Configures the easy handle; errors are request problems (bad header...).
  Status setup(Transfer* t) {
    const HttpRequest& r = t->request;
    for (const auto& [name, value] : r.headers) {
      if (!valid_header_name(name)) {
        return Status(Code::kInvalidArgument, "invalid header name \"" + name + "\"");
      }
      if (!valid_header_value(value)) {
        return Status(Code::kInvalidArgument,
                      "header " + name + " has a line break or NUL in its value");
      }
      // "Name;" is libcurl's way to send a header with an empty value.
      std::string line = value.empty() ? name + ";" : name + ": " + value;
      t->header_list = curl_slist_append(t->header_list, line.c_str());
    }
    // No "Expect: 100-continue" round trip, and no form-encoded Content-Type
    // guessed by libcurl for POSTFIELDS.
    if (!has_header(r.headers, "Expect")) {
      t->header_list = curl_slist_append(t->header_list, "Expect:");
    }
    if (!has_header(r.headers, "Content-Type")) {
      t->header_list = curl_slist_append(t->header_list, "Content-Type:");
    }

    if (!spare.empty()) {
      t->easy = spare.back();
      spare.pop_back();
    } else {
      t->easy = curl_easy_init();
    }
    if (!t->easy) return Status(Code::kInternal, "curl_easy_init failed");
    CURL* e = t->easy;
    t->max_bytes = options.max_response_bytes;
    curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->header_list);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(t->max_bytes));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, r.verify_tls ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, r.verify_tls ? 2L : 0L);
    if (r.ca_file) curl_easy_setopt(e, CURLOPT_CAINFO, r.ca_file->c_str());
    if (!options.user_agent.empty()) {
      curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
    }

    bool with_body = !r.body.empty() || r.method == "POST" || r.method == "PUT" ||
                     r.method == "PATCH";
    if (r.method == "HEAD") {
      curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (with_body) {
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
      if (r.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    } else if (r.method == "GET") {
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    }
    if (curl_multi_add_handle(multi, e) != CURLM_OK) {
      return Status(Code::kInternal, "curl_multi_add_handle failed");
    }
    return Status::ok();
  }

  void start(std::unique_ptr<Transfer> t) {
    if (t->request.cancel && t->request.cancel->cancelled()) {
      finish(std::move(t), Status(Code::kAborted, "request cancelled"));
      return;
    }
    Status s = setup(t.get());
    if (!s.is_ok()) {
      if (t->easy) {
        recycle(t->easy);  // never added to the multi handle
        t->easy = nullptr;
      }
      finish(std::move(t), std::move(s));
      return;
    }
    CURL* key = t->easy;
    in_flight.emplace(key, std::move(t));
  }

  void complete_finished() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      auto it = in_flight.find(msg->easy_handle);
      if (it == in_flight.end()) continue;
      CURLcode code = msg->data.result;  // msg is invalid after remove_handle
      std::unique_ptr<Transfer> t = std::move(it->second);
      in_flight.erase(it);
      if (code == CURLE_OK) {
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->response.http_status);
      }
      Status s = status_of(code, *t);
      finish(std::move(t), std::move(s));
    }
  }

  // Returns whether any in-flight request can still be cancelled.
  bool complete_cancelled() {
    std::vector<CURL*> cancelled;
    bool cancellable = false;
    for (auto& [easy, t] : in_flight) {
      if (!t->request.cancel) continue;
      cancellable = true;
      if (t->request.cancel->cancelled()) cancelled.push_back(easy);
    }
    for (CURL* easy : cancelled) {
      auto it = in_flight.find(easy);
      std::unique_ptr<Transfer> t = std::move(it->second);
      in_flight.erase(it);
      finish(std::move(t), Status(Code::kAborted, "request cancelled"));
    }
    return cancellable;
  }

  void run() {
    for (;;) {
      std::deque<std::unique_ptr<Transfer>> fresh;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (stopping) break;
        fresh.swap(queue);
      }
      for (auto& t : fresh) waiting.push_back(std::move(t));
      fill();
      int running = 0;
      curl_multi_perform(multi, &running);
      complete_finished();
      bool cancellable = complete_cancelled();
      fill();
      // libcurl shortens the wait for its own timers (timeouts, retries).
      int wait_ms = cancellable || !waiting.empty() ? static_cast<int>(options.cancel_poll.count())
                                                    : 10000;
      polling.store(true);
      bool fresh_work;
      {
        std::lock_guard<std::mutex> lock(mu);
        fresh_work = !queue.empty() || stopping;
      }
      // Work queued since the swap above is picked up without sleeping; work
      // queued from here on sees `polling` and wakes the poll.
      if (!fresh_work) curl_multi_poll(multi, nullptr, 0, wait_ms, nullptr);
      polling.store(false);
    }
    // Shutting down: nothing more can be queued (stopping is set under mu).
    std::deque<std::unique_ptr<Transfer>> rest;
    {
      std::lock_guard<std::mutex> lock(mu);
      rest.swap(queue);
    }
    while (!in_flight.empty()) {
      auto it = in_flight.begin();
      std::unique_ptr<Transfer> t = std::move(it->second);
      in_flight.erase(it);
      finish(std::move(t), Status(Code::kAborted, "HTTP client shut down"));
    }
    for (auto& t : waiting) finish(std::move(t), Status(Code::kAborted, "HTTP client shut down"));
    waiting.clear();
    for (auto& t : rest) finish(std::move(t), Status(Code::kAborted, "HTTP client shut down"));
  }
};

HttpClient::HttpClient(HttpClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpClient::~HttpClient() = default;

void HttpClient::send(HttpRequest request, std::function<void(HttpResponse)> done) {
  auto t = std::make_unique<Transfer>();
  t->request = std::move(request);
  t->done = std::move(done);
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (!impl_->stopping) {
      impl_->pending.fetch_add(1, std::memory_order_relaxed);
      impl_->queue.push_back(std::move(t));
    }
  }
  if (t) {  // not queued: the client is shutting down
    HttpResponse response;
    response.status = Status(Code::kAborted, "HTTP client shut down");
    auto cb = std::move(t->done);
    cb(std::move(response));
    return;
  }
  if (impl_->polling.load()) curl_multi_wakeup(impl_->multi);
}

std::size_t HttpClient::pending() const {
  return impl_->pending.load(std::memory_order_relaxed);
}

}  // namespace atio::actions
