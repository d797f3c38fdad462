// An emergency does not wait behind a backlog: 1,000 ordinary requests are queued while the
// broker is away, then a fire is reported (through the api, or through the web form as a
// browser posts it); when the broker returns, the fire is the first event on the feed, on the
// `urgent` topic, referred to 119.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/integration/support/burst_sender.hpp"
#include "tests/integration/support/feed_queries.hpp"
#include "tests/integration/support/integration_fixture.hpp"
#include "tests/integration/support/json_fields.hpp"
#include "tests/integration/support/web_form.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

class urgent_first_test : public integration_fixture {};

TEST_F(urgent_first_test, an_emergency_overtakes_a_backlog_of_a_thousand) {
  constexpr std::size_t backlog = 1000;
  start_all();
  broker_->stop();
  {
    burst_sender burst(collector_->submissions_url(), "backlog", backlog, 4);
    burst.join();
    ASSERT_EQ(burst.accepted(), backlog);
  }
  auto fire = submit({"我家楼道里着火了，有人被困在楼上，浓烟很大"});
  ASSERT_EQ(fire.response.status, 202) << fire.response.body;
  ASSERT_TRUE(fire.tracking_number);
  EXPECT_NE(fire.response.body.find("119"), std::string::npos)
      << "the citizen is told to call 119 now: " << fire.response.body;

  ASSERT_TRUE(restart_broker_subscriber_first());

  ASSERT_TRUE(feed_->wait_for(backlog + 1, 60s)) << feed_->size() << " of " << backlog + 1;
  const auto messages = feed_->messages();
  const auto& first = messages.front();
  EXPECT_EQ(json_string(first.payload, "/subject"), *fire.tracking_number)
      << "the first event on the feed was " << first.topic;
  EXPECT_EQ(first.topic, "intake/v1/440303/urgent");
  EXPECT_EQ(json_string(first.payload, "/data/triage/urgency"), "emergency");
  EXPECT_EQ(json_string(first.payload, "/data/triage/referral"), "119");
  EXPECT_EQ(on_topic(messages, "intake/v1/440303/urgent").size(), 1u);
  EXPECT_EQ(on_topic(messages, "intake/v1/440303/request").size(), backlog);
}

TEST_F(urgent_first_test, an_emergency_from_the_web_form_overtakes_a_backlog_of_a_thousand) {
  constexpr std::size_t backlog = 1000;
  collector_config config;
  config.set("channels.webform.enabled", "true");
  start_all(config);
  // The page is fetched while the broker is still up; its token is good for two hours.
  const std::string form = collector_->base_url() + "/form";
  auto page = http_.get(form);
  ASSERT_EQ(page.status, 200) << page.body.substr(0, 300);
  const std::string token = page_token_in(page.body);
  ASSERT_FALSE(token.empty());

  broker_->stop();
  {
    burst_sender burst(collector_->submissions_url(), "backlog", backlog, 4);
    burst.join();
    ASSERT_EQ(burst.accepted(), backlog);
  }
  auto receipt =
      http_.post(form,
                 urlencoded_body({{"token", token},
                                  {"lang", "zh"},
                                  {"description", "我家楼道里着火了，有人被困在楼上，浓烟很大"},
                                  {"address", "某路12号3栋"},
                                  {"website", ""}}),
                 "application/x-www-form-urlencoded");
  ASSERT_EQ(receipt.status, 200) << receipt.body.substr(0, 600);
  const std::string tracking = receipt_tracking_number(receipt.body);
  ASSERT_FALSE(tracking.empty()) << receipt.body;
  // The alert box, not the footer every page carries, tells the citizen to call 119 now.
  const std::string alert = receipt_alert(receipt.body);
  EXPECT_NE(alert.find("立即拨打119"), std::string::npos) << receipt.body;

  ASSERT_TRUE(restart_broker_subscriber_first());

  ASSERT_TRUE(feed_->wait_for(backlog + 1, 60s)) << feed_->size() << " of " << backlog + 1;
  const auto messages = feed_->messages();
  const auto& first = messages.front();
  EXPECT_EQ(json_string(first.payload, "/subject"), tracking)
      << "the first event on the feed was " << first.topic;
  EXPECT_EQ(first.topic, "intake/v1/440303/urgent");
  EXPECT_EQ(json_string(first.payload, "/data/channel"), "webform");
  EXPECT_EQ(json_string(first.payload, "/data/triage/urgency"), "emergency");
  EXPECT_EQ(json_string(first.payload, "/data/triage/referral"), "119");
  EXPECT_EQ(on_topic(messages, "intake/v1/440303/urgent").size(), 1u);
  EXPECT_EQ(on_topic(messages, "intake/v1/440303/request").size(), backlog);
}

}  // namespace
}  // namespace intake::testing
