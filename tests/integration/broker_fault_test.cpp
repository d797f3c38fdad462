// The broker misbehaving while citizens keep submitting: a broker that goes away and comes back
// every second or so, and a consumer that stops reading. Intake goes on throughout, every
// submission answered 202 reaches the feed, and an event delivered twice is the same event.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/support/burst_sender.hpp"
#include "tests/integration/support/feed_queries.hpp"
#include "tests/integration/support/integration_fixture.hpp"
#include "tests/integration/support/mosquitto_sub_client.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

// How often `text` occurs in `haystack`.
std::size_t occurrences(const std::string& haystack, const std::string& text) {
  std::size_t n = 0;
  for (auto pos = haystack.find(text); pos != std::string::npos; pos = haystack.find(text, pos + 1))
    ++n;
  return n;
}

// A consumer's lines as feed messages, for the feed queries.
std::vector<feed_message> as_messages(const std::vector<std::string>& payloads) {
  std::vector<feed_message> out;
  for (const auto& p : payloads) out.push_back({"", p});
  return out;
}

class broker_fault_test : public integration_fixture {
 protected:
  /// Every accepted tracking number reaches the consumer; an event id seen more than once was
  /// seen with byte-identical payloads each time.
  void expect_all_delivered_once_in_content(const mosquitto_sub_client& consumer,
                                            const std::set<std::string>& accepted) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    std::vector<feed_message> messages;
    std::set<std::string> seen;
    while (std::chrono::steady_clock::now() < deadline) {
      messages = as_messages(consumer.payloads());
      seen = distinct_values(messages, "/subject");
      if (std::includes(seen.begin(), seen.end(), accepted.begin(), accepted.end())) break;
      std::this_thread::sleep_for(100ms);
    }
    std::size_t missing = 0;
    for (const auto& t : accepted) {
      if (!seen.count(t) && ++missing <= 5) ADD_FAILURE() << "accepted, never delivered: " << t;
    }
    EXPECT_EQ(missing, 0u) << "of " << accepted.size() << " accepted submissions";
    const auto by_id = payloads_by_id(messages);
    for (const auto& [id, payloads] : by_id) {
      EXPECT_EQ(payloads.size(), 1u) << "event " << id << " was published with different content";
    }
    std::cout << "[   info   ] " << accepted.size() << " accepted, " << messages.size()
              << " messages to the consumer, " << messages.size() - by_id.size()
              << " of them repeats of an event id\n";
  }
};

TEST_F(broker_fault_test, a_flapping_broker_loses_no_accepted_submission) {
  constexpr int flaps = 6;
  constexpr auto down_for = 1s;
  constexpr auto up_for = 1s;
  start_all();
  // The witness keeps its session through each restart: what the collector publishes before
  // it has reconnected is queued for it, so the collector need not wait for it.
  mosquitto_sub_client witness(broker_->port(), "flap-witness", dir_ / "flap-witness.out");

  std::set<std::string> accepted;
  {
    // A steady load: two clients, each one submission per 25 ms at most.
    burst_sender load(collector_->submissions_url(), "flap", 100000, 2, 25ms);
    ASSERT_TRUE(load.wait_accepted(20, 10s)) << load.accepted() << " accepted";
    for (int flap = 0; flap < flaps; ++flap) {
      broker_->stop();
      const auto accepted_before = load.accepted();
      std::this_thread::sleep_for(down_for);
      EXPECT_GT(load.accepted(), accepted_before) << "flap " << flap << ": intake stalled";
      broker_->start();
      std::this_thread::sleep_for(up_for);
    }
    load.stop();
    load.join();
    for (const auto& o : load.outcomes()) {
      EXPECT_EQ(o.status, 202) << "submission " << o.index << " while the broker flapped";
    }
    accepted = load.accepted_tracking();
  }
  ASSERT_GT(accepted.size(), 100u);

  expect_all_delivered_once_in_content(witness, accepted);
  EXPECT_TRUE(wait_outbox_drained(10s));
  // The collector really lost and regained the broker each time.
  const auto log = read_file(broker_->log_path());
  EXPECT_GE(occurrences(log, " as intake-edge-county-01 "), static_cast<std::size_t>(flaps + 1))
      << "the collector did not reconnect after every restart";
  // The fixture's MQTT 5 subscriber may have lost its subscription in a restart; subscribed
  // again, it checks the schema of what it still receives.
  feed_->resubscribe(10s);
}

TEST_F(broker_fault_test, a_stalled_consumer_holds_up_neither_intake_nor_its_own_feed) {
  // More than mosquitto's default max_queued_messages (1000): the test broker, like a centre's
  // broker should be, has no such limit (see docs/OPERATIONS.md).
  constexpr std::size_t count = 3000;
  start_all();
  mosquitto_sub_client slow(broker_->port(), "slow-consumer", dir_ / "slow-consumer.out");
  slow.pause();

  std::set<std::string> accepted;
  {
    burst_sender burst(collector_->submissions_url(), "stalled", count, 4);
    burst.join();
    for (const auto& o : burst.outcomes()) {
      EXPECT_EQ(o.status, 202) << "submission " << o.index << " while a consumer was stalled";
    }
    accepted = burst.accepted_tracking();
  }
  ASSERT_EQ(accepted.size(), count);
  // The broker took every event although one consumer reads nothing: the collector's outbox
  // empties and the other consumer has the whole feed.
  EXPECT_TRUE(wait_outbox_drained(30s));
  EXPECT_TRUE(feed_->wait_until(
      [&](const auto& messages) { return distinct_values(messages, "/subject") == accepted; }, 30s))
      << "the other consumer did not get the whole feed";
  EXPECT_TRUE(slow.payloads().empty()) << "the stalled consumer was not stalled";

  slow.resume();
  expect_all_delivered_once_in_content(slow, accepted);
}

}  // namespace
}  // namespace intake::testing
