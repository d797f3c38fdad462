#include "channels/email/reply_dispatcher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace intake::channels::email {
namespace {

using namespace std::chrono_literals;

dispatcher_options fast() {
  dispatcher_options o;
  o.retry_min = 5ms;
  o.retry_max = 20ms;
  o.max_attempts = 3;
  return o;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return done();
}

TEST(reply_dispatcher, retries_until_the_server_takes_it) {
  core::metrics metrics;
  std::atomic<int> calls{0};
  reply_dispatcher d(
      fast(),
      [&](const outgoing_reply&) -> core::result<void> {
        if (++calls < 3) return core::fail(core::errc::internal, "421 try later");
        return {};
      },
      metrics);
  d.start();
  EXPECT_EQ(d.enqueue({"a@example.cn", "text", "T-1"}), admission::queued);
  EXPECT_TRUE(eventually([&] {
    return metrics.counter_value("intake_email_replies_total", {{"outcome", "sent"}}) == 1;
  }));
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(metrics.counter_value("intake_email_replies_total", {{"outcome", "retried"}}), 2u);
}

TEST(reply_dispatcher, gives_up_after_the_last_attempt_or_a_permanent_refusal) {
  core::metrics metrics;
  std::atomic<int> calls{0};
  reply_dispatcher d(
      fast(),
      [&](const outgoing_reply& r) -> core::result<void> {
        ++calls;
        if (r.recipient == "gone@example.cn") return core::fail(core::errc::invalid_email, "550");
        return core::fail(core::errc::internal, "timeout");
      },
      metrics);
  d.start();
  d.enqueue({"gone@example.cn", "t", "T-1"});
  d.enqueue({"slow@example.cn", "t", "T-2"});
  EXPECT_TRUE(eventually([&] {
    return metrics.counter_value("intake_email_replies_total", {{"outcome", "failed"}}) == 2;
  }));
  EXPECT_EQ(calls.load(), 1 + 3);
  EXPECT_EQ(d.pending(), 0u);
}

TEST(reply_dispatcher, limits_replies_per_address) {
  core::metrics metrics;
  auto o = fast();
  o.per_address_limit = 2;
  reply_dispatcher d(
      o, [](const outgoing_reply&) -> core::result<void> { return {}; }, metrics);
  EXPECT_EQ(d.enqueue({"a@example.cn", "t", "1"}), admission::queued);
  EXPECT_EQ(d.enqueue({"a@example.cn", "t", "2"}), admission::queued);
  EXPECT_EQ(d.enqueue({"a@example.cn", "t", "3"}), admission::rate_limited);
  EXPECT_EQ(d.enqueue({"b@example.cn", "t", "4"}), admission::queued);
}

TEST(reply_dispatcher, bounds_its_queue_and_never_blocks_the_caller) {
  core::metrics metrics;
  auto o = fast();
  o.queue_limit = 2;
  o.per_address_limit = 100;
  std::atomic<bool> release{false};
  reply_dispatcher d(
      o,
      [&](const outgoing_reply&) -> core::result<void> {
        while (!release) std::this_thread::sleep_for(1ms);
        return {};
      },
      metrics);
  // Not started: nothing leaves the queue.
  EXPECT_EQ(d.enqueue({"a@example.cn", "t", "1"}), admission::queued);
  EXPECT_EQ(d.enqueue({"a@example.cn", "t", "2"}), admission::queued);
  EXPECT_EQ(d.enqueue({"a@example.cn", "t", "3"}), admission::queue_full);
  release = true;
  d.stop();
  EXPECT_EQ(metrics.counter_value("intake_email_replies_total", {{"outcome", "dropped_at_stop"}}),
            2u);
}

}  // namespace
}  // namespace intake::channels::email
