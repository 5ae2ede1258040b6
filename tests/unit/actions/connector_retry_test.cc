// The retry rule every connector shares (connectors/backoff.h,
// retry_sender.h), driven through x-atio-webhook against a local receiver.
#include <gtest/gtest.h>

// Designated initializers below name only the fields a test cares about.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <ctime>
#include <future>
#include <thread>

#include "atio/actions/connectors/backoff.h"
#include "atio/actions/connectors/webhook_command.h"
#include "unit/actions/connector_fixture.h"

namespace atio::actions::connectors {
namespace {

using namespace std::chrono_literals;
using atio::testing::Reply;
using testing::ConnectorWorld;

HttpResponse answer(long status, HttpHeaders headers = {}) {
  HttpResponse r;
  r.http_status = status;
  r.headers = std::move(headers);
  return r;
}

TEST(Backoff, RetriesOn429And5xxAndConnectionErrorsOnly) {
  EXPECT_TRUE(retryable(answer(429)));
  EXPECT_TRUE(retryable(answer(500)));
  EXPECT_TRUE(retryable(answer(502)));
  EXPECT_TRUE(retryable(answer(503)));
  EXPECT_TRUE(retryable(answer(504)));
  EXPECT_FALSE(retryable(answer(501)));  // Not Implemented: the same next time
  EXPECT_FALSE(retryable(answer(200)));
  EXPECT_FALSE(retryable(answer(400)));
  EXPECT_FALSE(retryable(answer(404)));
  HttpResponse refused;
  refused.status = Status(Code::kUnavailable, "connection refused");
  EXPECT_TRUE(retryable(refused));
  HttpResponse timeout;
  timeout.status = Status(Code::kTimeout, "timed out");
  EXPECT_FALSE(retryable(timeout));  // the step's time is up
  HttpResponse aborted;
  aborted.status = Status(Code::kAborted, "cancelled");
  EXPECT_FALSE(retryable(aborted));
}

TEST(Backoff, RetryAfterSecondsAndHttpDate) {
  auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(retry_after({{"retry-after", "120"}}, now), std::chrono::milliseconds(120000));
  EXPECT_EQ(retry_after({{"Retry-After", "Wed, 21 Oct 2015 07:28:30 GMT"}}, now),
            std::chrono::milliseconds(30000));
  EXPECT_EQ(retry_after({{"Retry-After", "Wed, 21 Oct 2015 07:27:00 GMT"}}, now),
            std::chrono::milliseconds(0));  // in the past: now
  EXPECT_FALSE(retry_after({{"Retry-After", "soon"}}, now).has_value());
  EXPECT_FALSE(retry_after({}, now).has_value());
}

TEST(Backoff, ExponentialWithEqualJitterCappedAndRetryAfterWins) {
  RetryPolicy p;
  p.initial_delay = 100ms;
  p.max_delay = 1000ms;
  auto now = std::chrono::system_clock::now();
  // base = min(1000, 100 * 2^(n-1)); wait in [base/2, base].
  const long long bases[] = {100, 200, 400, 800, 1000, 1000};
  for (int n = 1; n <= 6; ++n) {
    long long base = bases[n - 1];
    EXPECT_EQ(next_delay(p, n, answer(503), 0.0, now).count(), base / 2) << n;
    EXPECT_EQ(next_delay(p, n, answer(503), 0.999999, now).count(), base - 1) << n;
  }
  EXPECT_EQ(next_delay(p, 1, answer(429, {{"Retry-After", "7"}}), 0.5, now), 7000ms);
}

class RetryTest : public ::testing::Test {
 protected:
  ConnectorWorld world_;
  WebhookCommand type_{world_.sender, world_.options};
  const char* command_ = R"({"type":"x-atio-webhook","path":"/hook","payload":{"n":1}})";
};

TEST_F(RetryTest, TooManyRequestsThenSuccessHonoursRetryAfter) {
  world_.receiver.enqueue_reply("/hook", Reply{.status = 429, .headers = {{"Retry-After", "1"}}});
  world_.receiver.set_reply("/hook", Reply::json(R"({"ok":true})"));
  Outcome o = world_.run(type_, command_);
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  auto reqs = world_.receiver.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(o.outputs.at("attempts").as_int64(), 2);
  // The second attempt waited for Retry-After (1 s), measured by the
  // receiver's own arrival times, not by the test's clock.
  EXPECT_GE(reqs[1].arrived - reqs[0].arrived, 1000ms);
  // The same request twice: body and Idempotency-Key.
  EXPECT_EQ(reqs[0].body, reqs[1].body);
  EXPECT_EQ(reqs[0].header("Idempotency-Key"), reqs[1].header("Idempotency-Key"));
  EXPECT_EQ(reqs[0].header("Idempotency-Key"), "exec-1:" + world_.step.id);
}

TEST_F(RetryTest, ServerErrorsAreRetriedUntilTheAttemptsRunOut) {
  world_.receiver.set_reply("/hook", Reply{.status = 503, .body = "busy"});
  Outcome o = world_.run(type_, command_);
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_EQ(world_.receiver.request_count(), 4u);  // fast_policy().max_attempts
  EXPECT_EQ(o.outputs.at("attempts").as_int64(), 4);
  EXPECT_EQ(o.outputs.at("status_code").as_int64(), 503);
  EXPECT_NE(o.status.message().find("HTTP 503"), std::string::npos) << o.status.message();
  EXPECT_NE(o.status.message().find("after 4 attempts"), std::string::npos) << o.status.message();
  EXPECT_TRUE(o.out_args.empty());
}

TEST_F(RetryTest, RetriesStopBeforeTheStepTimeout) {
  // A 5 s Retry-After cannot fit in a 1 s step: the step fails at once
  // with the server's answer instead of sleeping into its timeout.
  world_.receiver.set_reply("/hook", Reply{.status = 503, .headers = {{"Retry-After", "5"}}});
  Invocation inv = world_.invocation(testing::obj(command_));
  inv.timeout = 1000ms;
  Outcome o = world_.run(type_, inv);
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_EQ(world_.receiver.request_count(), 1u);
  EXPECT_NE(o.outputs.at("gave_up").as_string().find("would pass the step's timeout"),
            std::string::npos);
}

TEST_F(RetryTest, ClientErrorsAreNotRetried) {
  world_.receiver.set_reply("/hook", Reply::json(R"({"message":"bad field x"})", 400));
  Outcome o = world_.run(type_, command_);
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_EQ(world_.receiver.request_count(), 1u);
  EXPECT_NE(o.status.message().find("bad field x"), std::string::npos) << o.status.message();
}

TEST_F(RetryTest, ConnectionErrorsAreRetried) {
  // First attempt: the receiver drops the connection without answering.
  world_.receiver.enqueue_reply("/hook", Reply{.drop = true});
  Outcome o = world_.run(type_, command_);
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(world_.receiver.request_count(), 2u);
}

TEST_F(RetryTest, CancelEndsAWaitBetweenAttempts) {
  world_.receiver.set_reply("/hook", Reply{.status = 429, .headers = {{"Retry-After", "8"}}});
  Invocation inv = world_.invocation(testing::obj(command_));
  inv.timeout = 30000ms;
  auto token = inv.cancel;
  std::thread canceller([&] {
    world_.receiver.wait_for_requests(1, 10s);
    token->cancel();
  });
  auto outcome = atio::testing::run_command(type_, inv, 6s);  // well before the 8 s wait
  canceller.join();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->status.code(), Code::kAborted) << outcome->status.to_string();
  EXPECT_EQ(world_.receiver.request_count(), 1u);
}

TEST_F(RetryTest, ShuttingDownTheSenderEndsWaitsWithTheLastAnswer) {
  world_.receiver.set_reply("/hook", Reply{.status = 503, .headers = {{"Retry-After", "20"}}});
  auto sender = std::make_shared<RetrySender>(world_.client, testing::fast_policy());
  std::promise<Exchange> got;
  HttpRequest r;
  r.method = "POST";
  r.url = world_.receiver.url("/hook");
  sender->send(r, std::chrono::steady_clock::now() + 60s,
               [&](Exchange ex) { got.set_value(std::move(ex)); });
  // Whether the answer is in or still on its way, no attempt follows.
  ASSERT_TRUE(world_.receiver.wait_for_requests(1, 10s));
  sender.reset();
  auto future = got.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  Exchange ex = future.get();
  EXPECT_EQ(ex.response.http_status, 503);
  EXPECT_EQ(ex.gave_up, "atio is shutting down");
}

}  // namespace
}  // namespace atio::actions::connectors
