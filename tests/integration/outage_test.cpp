// A broker outage loses nothing: what was answered 202 is kept and delivered on recovery, and
// what cannot be kept is refused with 503 + Retry-After instead of a false success.

#include <gtest/gtest.h>

#include <csignal>

#include <chrono>
#include <set>
#include <string>

#include "tests/integration/support/burst_sender.hpp"
#include "tests/integration/support/feed_queries.hpp"
#include "tests/integration/support/integration_fixture.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

class outage_test : public integration_fixture {};

TEST_F(outage_test, submissions_taken_while_the_broker_is_down_all_arrive_after_it_returns) {
  constexpr std::size_t count = 500;
  start_all();
  broker_->stop();

  std::set<std::string> accepted;
  {
    burst_sender burst(collector_->submissions_url(), "outage", count, 4);
    burst.join();
    for (const auto& o : burst.outcomes()) {
      EXPECT_EQ(o.status, 202) << "submission " << o.index;
    }
    accepted = burst.accepted_tracking();
  }
  ASSERT_EQ(accepted.size(), count);
  EXPECT_EQ(outbox_depth_metric(), static_cast<double>(count));
  EXPECT_EQ(feed_->size(), 0u);

  ASSERT_TRUE(restart_broker_subscriber_first()) << "the feed subscriber did not come back";
  const bool all = feed_->wait_until(
      [&](const auto& messages) { return distinct_values(messages, "/subject").size() >= count; },
      30s);
  const auto received = distinct_values(feed_->messages(), "/subject");
  EXPECT_TRUE(all) << received.size() << " of " << count << " arrived";
  EXPECT_EQ(received, accepted);
  EXPECT_TRUE(wait_outbox_drained(5s));
}

TEST_F(outage_test, a_full_outbox_answers_503_with_retry_after_and_loses_nothing) {
  constexpr int capacity = 50;
  constexpr int sent = 60;
  collector_config config;
  config.set("outbox.max_events", std::to_string(capacity));
  start_all(config);
  broker_->stop();

  std::set<std::string> accepted;
  int refused = 0;
  for (int i = 0; i < sent; ++i) {
    auto a = submit({.description = bulk_description("full", static_cast<std::size_t>(i))});
    if (a.response.status == 202) {
      ASSERT_TRUE(a.tracking_number);
      accepted.insert(*a.tracking_number);
    } else {
      ++refused;
      EXPECT_EQ(a.response.status, 503) << "submission " << i << ": " << a.response.body;
      EXPECT_EQ(a.error, "outbox_full") << a.response.body;
      EXPECT_FALSE(a.response.header("retry-after").empty()) << "submission " << i;
    }
  }
  EXPECT_EQ(accepted.size(), static_cast<std::size_t>(capacity));
  EXPECT_EQ(refused, sent - capacity);

  ASSERT_TRUE(restart_broker_subscriber_first()) << "the feed subscriber did not come back";
  EXPECT_TRUE(feed_->wait_until(
      [&](const auto& messages) {
        return distinct_values(messages, "/subject").size() >= accepted.size();
      },
      20s));
  ASSERT_TRUE(wait_outbox_drained(10s));
  EXPECT_EQ(distinct_values(feed_->messages(), "/subject"), accepted);

  auto after = submit({.description = bulk_description("full", 1000)});
  EXPECT_EQ(after.response.status, 202) << after.response.body;
}

}  // namespace
}  // namespace intake::testing
