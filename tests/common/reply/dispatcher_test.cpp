#include "common/reply/dispatcher.hpp"

#include <gtest/gtest.h>

#include <deque>

namespace intake::reply {
namespace {

using namespace std::chrono_literals;

class scripted_transport final : public transport {
 public:
  send_outcome send(const message& m) override {
    sent.push_back(m);
    if (script.empty()) return send_outcome::sent;
    auto next = script.front();
    script.pop_front();
    return next;
  }
  std::deque<send_outcome> script;
  std::vector<message> sent;
};

class dispatcher_test : public ::testing::Test {
 protected:
  dispatcher_options options() {
    dispatcher_options o;
    o.channel = "sms";
    o.max_attempts = 4;
    o.backoff_min = 1s;
    o.backoff_max = 3s;
    o.per_recipient_burst = 2;
    o.per_recipient_interval = 60s;
    o.max_queue = 3;
    o.now = [this] { return now_; };
    return o;
  }
  std::uint64_t replies(std::string_view outcome) {
    return metrics_.counter_value("intake_replies_total",
                                  {{"channel", "sms"}, {"outcome", outcome}});
  }

  steady_time now_{};
  scripted_transport transport_;
  core::metrics metrics_;
};

TEST_F(dispatcher_test, backoff_doubles_up_to_the_cap) {
  dispatcher d(options(), transport_, metrics_);
  EXPECT_EQ(d.backoff(1), 1s);
  EXPECT_EQ(d.backoff(2), 2s);
  EXPECT_EQ(d.backoff(3), 3s);
  EXPECT_EQ(d.backoff(10), 3s);
}

TEST_F(dispatcher_test, a_failed_reply_is_retried_on_its_schedule) {
  dispatcher d(options(), transport_, metrics_);
  transport_.script = {send_outcome::retry, send_outcome::retry, send_outcome::sent};
  ASSERT_EQ(d.enqueue({"+8613800138000", "hello", "T1"}), enqueue_outcome::queued);

  struct step {
    std::chrono::milliseconds advance;
    std::size_t attempts_so_far;
  };
  // Attempt 1 at once; attempt 2 one second later; attempt 3 two seconds after that.
  const step steps[] = {{0ms, 1}, {999ms, 1}, {1ms, 2}, {1999ms, 2}, {1ms, 3}, {10s, 3}};
  for (const auto& s : steps) {
    now_ += s.advance;
    d.send_due();
    EXPECT_EQ(transport_.sent.size(), s.attempts_so_far) << "after +" << s.advance.count() << "ms";
  }
  EXPECT_EQ(d.queued(), 0u);
  EXPECT_EQ(replies("retried"), 2u);
  EXPECT_EQ(replies("sent"), 1u);
}

TEST_F(dispatcher_test, gives_up_after_max_attempts_and_drops_a_refusal_at_once) {
  dispatcher d(options(), transport_, metrics_);
  transport_.script = {send_outcome::retry, send_outcome::retry, send_outcome::retry,
                       send_outcome::retry, send_outcome::drop};
  d.enqueue({"+8613800138000", "a", "T1"});
  for (int i = 0; i < 10; ++i) {
    d.send_due();
    now_ += 10s;
  }
  EXPECT_EQ(transport_.sent.size(), 4u);
  EXPECT_EQ(replies("gave_up"), 1u);

  d.enqueue({"+8613900139000", "b", "T2"});
  d.send_due();
  now_ += 10s;
  d.send_due();
  EXPECT_EQ(transport_.sent.size(), 5u);
  EXPECT_EQ(replies("dropped"), 1u);
}

TEST_F(dispatcher_test, each_number_has_its_own_rate_limit) {
  dispatcher d(options(), transport_, metrics_);
  EXPECT_EQ(d.enqueue({"+8613800138000", "1", "T1"}), enqueue_outcome::queued);
  EXPECT_EQ(d.enqueue({"+8613800138000", "2", "T2"}), enqueue_outcome::queued);
  EXPECT_EQ(d.enqueue({"+8613800138000", "3", "T3"}), enqueue_outcome::rate_limited);
  EXPECT_EQ(d.enqueue({"+8613900139000", "4", "T4"}), enqueue_outcome::queued);
  d.send_due();
  now_ += 60s;
  EXPECT_EQ(d.enqueue({"+8613800138000", "5", "T5"}), enqueue_outcome::queued)
      << "one more after the interval";
  EXPECT_EQ(replies("rate_limited"), 1u);
}

TEST_F(dispatcher_test, a_full_queue_refuses_instead_of_growing) {
  dispatcher d(options(), transport_, metrics_);
  EXPECT_EQ(d.enqueue({"+8613800000001", "1", "T1"}), enqueue_outcome::queued);
  EXPECT_EQ(d.enqueue({"+8613800000002", "2", "T2"}), enqueue_outcome::queued);
  EXPECT_EQ(d.enqueue({"+8613800000003", "3", "T3"}), enqueue_outcome::queued);
  EXPECT_EQ(d.enqueue({"+8613800000004", "4", "T4"}), enqueue_outcome::queue_full);
  EXPECT_EQ(replies("queue_full"), 1u);
}

TEST_F(dispatcher_test, the_thread_sends_without_the_caller_waiting) {
  auto o = options();
  o.now = [] { return std::chrono::steady_clock::now(); };
  dispatcher d(o, transport_, metrics_);
  d.start();
  d.enqueue({"+8613800138000", "hi", "T1"});
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (replies("sent") == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(replies("sent"), 1u);
  d.stop();
  EXPECT_EQ(d.enqueue({"+8613800138000", "late", "T2"}), enqueue_outcome::stopped);
}

TEST_F(dispatcher_test, replies_still_queued_at_stop_are_counted_as_abandoned) {
  dispatcher d(options(), transport_, metrics_);
  transport_.script = {send_outcome::retry};
  d.enqueue({"+8613800138000", "waits for its retry", "T1"});
  d.send_due();
  d.enqueue({"+8613900139000", "never tried", "T2"});
  d.stop();
  EXPECT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(replies("abandoned"), 2u);
  EXPECT_EQ(d.queued(), 0u);
}

}  // namespace
}  // namespace intake::reply
