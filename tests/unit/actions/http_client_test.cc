#include "atio/actions/http/http_client.h"

#include <gtest/gtest.h>

// Designated initializers below name only the fields a test cares about.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "support/http_receiver.h"

namespace atio::actions {
namespace {

using atio::testing::HttpReceiver;
using atio::testing::Reply;
using namespace std::chrono_literals;

// Sends one request and waits for its response.
HttpResponse fetch(HttpClient& client, HttpRequest request) {
  std::promise<HttpResponse> promise;
  auto future = promise.get_future();
  client.send(std::move(request), [&](HttpResponse r) { promise.set_value(std::move(r)); });
  if (future.wait_for(20s) != std::future_status::ready) {
    ADD_FAILURE() << "no response within 20 s";
    return {};
  }
  return future.get();
}

std::string header(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (atio::testing::header_name_equals(k, name)) return v;
  }
  return "";
}

TEST(HttpClient, GetReturnsStatusHeadersAndBody) {
  HttpReceiver receiver;
  Reply reply = Reply::json(R"({"ok":true})");
  reply.headers.emplace_back("X-Trace", "abc");
  receiver.set_reply("/api/v1/x", reply);
  HttpClient client;
  HttpResponse r = fetch(client, {.method = "GET", .url = receiver.url("/api/v1/x?q=1")});
  ASSERT_TRUE(r.status.is_ok()) << r.status.to_string();
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, R"({"ok":true})");
  EXPECT_EQ(header(r.headers, "x-trace"), "abc");
  EXPECT_EQ(header(r.headers, "Content-Type"), "application/json");
  auto seen = receiver.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/api/v1/x?q=1");
  EXPECT_TRUE(seen[0].body.empty());
}

TEST(HttpClient, PostSendsBodyAndHeadersWithoutGuessingContentType) {
  HttpReceiver receiver;
  receiver.set_default_reply(Reply{.status = 201, .body = "made"});
  HttpClient client;
  HttpRequest req{.method = "POST", .url = receiver.url("/items")};
  req.body = R"({"name":"x"})";
  req.headers = {{"X-One", "1"}, {"X-Multi", "a"}, {"X-Multi", "b"}, {"X-Empty", ""}};
  HttpResponse r = fetch(client, req);
  ASSERT_TRUE(r.status.is_ok()) << r.status.to_string();
  EXPECT_EQ(r.http_status, 201);
  auto seen = receiver.requests().at(0);
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.body, R"({"name":"x"})");
  EXPECT_EQ(seen.header("X-One"), "1");
  int multi = 0;
  for (const auto& [k, v] : seen.headers) multi += (k == "X-Multi");
  EXPECT_EQ(multi, 2);
  EXPECT_TRUE(seen.has_header("X-Empty"));
  EXPECT_FALSE(seen.has_header("Content-Type"));
  EXPECT_FALSE(seen.has_header("Expect"));
}

TEST(HttpClient, OtherMethodsAreSentAsWritten) {
  HttpReceiver receiver;
  HttpClient client;
  for (std::string method : {"PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}) {
    HttpRequest req{.method = method, .url = receiver.url("/m")};
    if (method == "PUT" || method == "PATCH") req.body = "b";
    HttpResponse r = fetch(client, req);
    EXPECT_TRUE(r.status.is_ok()) << method << ": " << r.status.to_string();
  }
  auto seen = receiver.requests();
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[0].body, "b");
  EXPECT_EQ(seen[1].method, "PATCH");
  EXPECT_EQ(seen[2].method, "DELETE");
  EXPECT_EQ(seen[3].method, "HEAD");
  EXPECT_EQ(seen[4].method, "OPTIONS");
}

TEST(HttpClient, TimeoutIsReportedAsTimeout) {
  HttpReceiver receiver;
  receiver.set_reply("/slow", Reply{.body = "late", .delay = 5s});
  HttpClient client;
  HttpResponse r = fetch(client, {.url = receiver.url("/slow"), .timeout = 200ms});
  EXPECT_EQ(r.status.code(), Code::kTimeout) << r.status.to_string();
  EXPECT_EQ(r.http_status, 0);
}

TEST(HttpClient, ConnectionRefusedIsUnavailable) {
  HttpClient client;
  std::string url = "http://127.0.0.1:" + std::to_string(HttpReceiver::unused_port()) + "/x";
  HttpResponse r = fetch(client, {.url = url, .timeout = 5s});
  EXPECT_EQ(r.status.code(), Code::kUnavailable) << r.status.to_string();
  EXPECT_FALSE(r.status.message().empty());
}

TEST(HttpClient, DroppedConnectionIsUnavailable) {
  HttpReceiver receiver;
  receiver.set_default_reply(Reply{.drop = true});
  HttpClient client;
  HttpResponse r = fetch(client, {.url = receiver.url("/x"), .timeout = 5s});
  EXPECT_EQ(r.status.code(), Code::kUnavailable) << r.status.to_string();
}

TEST(HttpClient, OnlyHttpAndHttpsUrlsAreFetched) {
  HttpClient client;
  HttpResponse r = fetch(client, {.url = "file:///etc/passwd"});
  EXPECT_EQ(r.status.code(), Code::kInvalidArgument) << r.status.to_string();
  EXPECT_TRUE(r.body.empty());
}

TEST(HttpClient, HeaderInjectionIsRejected) {
  HttpReceiver receiver;
  HttpClient client;
  HttpRequest req{.url = receiver.url("/x")};
  req.headers = {{"X-Evil", "a\r\nX-Injected: 1"}};
  HttpResponse r = fetch(client, req);
  EXPECT_EQ(r.status.code(), Code::kInvalidArgument);
  req.headers = {{"Bad Name", "v"}};
  EXPECT_EQ(fetch(client, req).status.code(), Code::kInvalidArgument);
  EXPECT_EQ(receiver.request_count(), 0u);
}

TEST(HttpClient, CancelAbortsAnInFlightRequest) {
  HttpReceiver receiver;
  receiver.set_reply("/slow", Reply{.delay = 10s});
  HttpClient client;
  auto token = std::make_shared<CancelToken>();
  std::promise<HttpResponse> promise;
  auto future = promise.get_future();
  client.send({.url = receiver.url("/slow"), .timeout = 30s, .cancel = token},
              [&](HttpResponse r) { promise.set_value(std::move(r)); });
  ASSERT_TRUE(receiver.wait_for_requests(1, 10s));
  token->cancel();
  // Well before the receiver would answer.
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(future.get().status.code(), Code::kAborted);
  EXPECT_EQ(client.pending(), 0u);
}

TEST(HttpClient, AlreadyCancelledRequestIsNotSent) {
  HttpReceiver receiver;
  HttpClient client;
  auto token = std::make_shared<CancelToken>();
  token->cancel();
  HttpResponse r = fetch(client, {.url = receiver.url("/x"), .cancel = token});
  EXPECT_EQ(r.status.code(), Code::kAborted);
  EXPECT_EQ(receiver.request_count(), 0u);
}

TEST(HttpClient, SequentialRequestsReuseOneConnection) {
  HttpReceiver receiver;
  HttpClient client;
  for (int i = 0; i < 5; ++i) {
    HttpResponse r = fetch(client, {.url = receiver.url("/r" + std::to_string(i))});
    ASSERT_TRUE(r.status.is_ok()) << r.status.to_string();
  }
  auto seen = receiver.requests();
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(receiver.connection_count(), 1u);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].connection_id, seen[0].connection_id);
    EXPECT_EQ(seen[i].index_on_connection, i);
  }
}

TEST(HttpClient, HundredConcurrentRequestsAllComplete) {
  HttpReceiver receiver;
  receiver.set_handler([](const atio::testing::ReceivedRequest& req) {
    return Reply{.body = req.path, .delay = 20ms};
  });
  HttpClient client;
  constexpr int kCount = 100;
  std::mutex mu;
  std::condition_variable cv;
  std::set<std::string> bodies;
  int failures = 0;
  // Sent from several threads at once: send() is thread-safe.
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      for (int i = t; i < kCount; i += 4) {
        client.send({.url = receiver.url("/n/" + std::to_string(i))}, [&](HttpResponse r) {
          std::lock_guard<std::mutex> lock(mu);
          if (!r.status.is_ok() || r.http_status != 200) ++failures;
          bodies.insert(r.body);
          cv.notify_all();
        });
      }
    });
  }
  for (auto& s : senders) s.join();
  std::unique_lock<std::mutex> lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 30s, [&] { return bodies.size() + failures >= kCount; }));
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(bodies.size(), static_cast<std::size_t>(kCount));
  EXPECT_EQ(receiver.request_count(), static_cast<std::size_t>(kCount));
}

TEST(HttpClient, OversizedBodyFails) {
  HttpReceiver receiver;
  receiver.set_default_reply(Reply{.body = std::string(5000, 'x')});
  HttpClient client(HttpClientOptions{.max_response_bytes = 1000});
  HttpResponse r = fetch(client, {.url = receiver.url("/big")});
  EXPECT_EQ(r.status.code(), Code::kPayloadTooLarge) << r.status.to_string();
  EXPECT_NE(r.status.message().find("1000"), std::string::npos);
}

TEST(HttpClient, DestructorAbortsPendingRequests) {
  HttpReceiver receiver;
  receiver.set_default_reply(Reply{.delay = 10s});
  std::promise<HttpResponse> promise;
  auto future = promise.get_future();
  {
    HttpClient client;
    client.send({.url = receiver.url("/x"), .timeout = 30s},
                [&](HttpResponse r) { promise.set_value(std::move(r)); });
    ASSERT_TRUE(receiver.wait_for_requests(1, 10s));
  }
  ASSERT_EQ(future.wait_for(0s), std::future_status::ready);
  EXPECT_EQ(future.get().status.code(), Code::kAborted);
}

TEST(HttpClient, SendFromInsideACallbackWorks) {
  HttpReceiver receiver;
  HttpClient client;
  std::promise<HttpResponse> second;
  auto future = second.get_future();
  client.send({.url = receiver.url("/first")}, [&](HttpResponse) {
    client.send({.url = receiver.url("/second")},
                [&](HttpResponse r) { second.set_value(std::move(r)); });
  });
  ASSERT_EQ(future.wait_for(20s), std::future_status::ready);
  EXPECT_TRUE(future.get().status.is_ok());
  EXPECT_EQ(receiver.request_count(), 2u);
}

// Beyond max_in_flight, requests wait in order and all complete; a request
// cancelled while waiting is never sent.
TEST(HttpClient, RequestsBeyondTheInFlightCapWaitTheirTurn) {
  HttpReceiver rx;
  std::atomic<int> active{0}, peak{0};
  rx.set_handler([&](const atio::testing::ReceivedRequest&) {
    int now = ++active;
    int p = peak.load();
    while (now > p && !peak.compare_exchange_weak(p, now)) {
    }
    std::this_thread::sleep_for(20ms);
    --active;
    return Reply{};
  });
  HttpClientOptions opts;
  opts.max_in_flight = 2;
  HttpClient client(opts);
  constexpr int kRequests = 20;
  std::atomic<int> ok{0}, aborted{0}, done{0};
  auto cancelled = std::make_shared<CancelToken>();
  cancelled->cancel();
  for (int i = 0; i < kRequests; ++i) {
    HttpRequest r;
    r.method = "GET";
    r.url = rx.url("/n" + std::to_string(i));
    if (i == kRequests - 1) r.cancel = cancelled;  // waits behind the others
    client.send(std::move(r), [&](HttpResponse resp) {
      (resp.status.is_ok() ? ok : aborted)++;
      done++;
    });
  }
  for (int i = 0; i < 2000 && done.load() < kRequests; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(ok.load(), kRequests - 1);
  EXPECT_EQ(aborted.load(), 1);
  EXPECT_LE(peak.load(), 2);
  EXPECT_EQ(rx.request_count(), static_cast<std::size_t>(kRequests - 1));
}

}  // namespace
}  // namespace atio::actions
