// The feed as the central platform sees it: one valid CloudEvent per real request, named by the
// tracking number the citizen was told, and repeats recognised instead of re-dispatched.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

#include "tests/integration/support/feed_queries.hpp"
#include "tests/integration/support/integration_fixture.hpp"
#include "tests/integration/support/json_fields.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto event_deadline = 10s;

struct feed_case {
  const char* name;
  const char* description;
  const char* topic;
  const char* urgency;
  std::optional<std::string> referral;  ///< nullopt: null in the event
};

// ctest shows the case by this name (gtest_discover_tests prints GetParam()).
void PrintTo(const feed_case& c, std::ostream* out) {
  *out << c.name;
}

class submission_feed_test : public integration_fixture,
                             public ::testing::WithParamInterface<feed_case> {};

TEST_P(submission_feed_test, arrives_as_a_cloudevent_named_by_the_tracking_number) {
  const auto& c = GetParam();
  start_all();

  auto answer = submit({.description = c.description, .name = "张三", .phone = "13800138000"});
  ASSERT_EQ(answer.response.status, 202) << answer.response.body;
  EXPECT_EQ(answer.status, "accepted");
  ASSERT_TRUE(answer.tracking_number) << answer.response.body;
  const std::string tracking = *answer.tracking_number;

  ASSERT_TRUE(feed_->wait_for(1, event_deadline)) << "no event on the feed";
  const auto m = feed_->messages().front();
  EXPECT_EQ(m.topic, c.topic);
  const auto& p = m.payload;
  EXPECT_EQ(json_string(p, "/specversion"), "1.0");
  EXPECT_EQ(json_string(p, "/type"), "cn.gov.12345.intake.request");
  EXPECT_EQ(json_string(p, "/source"), "urn:intake-edge:440303:county-01");
  EXPECT_EQ(json_string(p, "/subject"), tracking);
  EXPECT_EQ(json_string(p, "/datacontenttype"), "application/json");
  EXPECT_EQ(json_string(p, "/data/tracking_number"), tracking);
  EXPECT_EQ(json_string(p, "/data/channel"), "api");
  EXPECT_EQ(json_string(p, "/data/description_original"), c.description);
  EXPECT_EQ(json_string(p, "/data/submitter/phone"), "+8613800138000");
  EXPECT_EQ(json_string(p, "/data/submitter/phone_masked"), "138****8000");
  EXPECT_EQ(json_string(p, "/data/dedup/status"), "new");
  EXPECT_EQ(json_string(p, "/data/triage/urgency"), c.urgency);
  if (c.referral) {
    EXPECT_EQ(json_string(p, "/data/triage/referral"), c.referral);
  } else {
    EXPECT_TRUE(json_is_null(p, "/data/triage/referral")) << p;
  }
  const auto validation = feed_->validate_all();
  EXPECT_EQ(validation.exit_status, 0) << validation.output;
}

INSTANTIATE_TEST_SUITE_P(
    cases, submission_feed_test,
    ::testing::Values(feed_case{"streetlight", "小区门口路灯坏了一个星期",
                                "intake/v1/440303/request", "normal", std::nullopt},
                      feed_case{"fire", "楼道着火了，有人被困", "intake/v1/440303/urgent",
                                "emergency", "119"}));

class dedup_feed_test : public integration_fixture {};

TEST_F(dedup_feed_test, same_idempotency_key_gives_one_tracking_number_and_one_event) {
  start_all();
  const submission s{.description = "幸福路12号垃圾三天没人收", .phone = "13900139000"};
  const header_list key{{"Idempotency-Key", "it-idem-0001"}};

  auto first = submit(s, key);
  ASSERT_EQ(first.response.status, 202) << first.response.body;
  ASSERT_TRUE(first.tracking_number);
  auto again = submit(s, key);
  EXPECT_EQ(again.response.status, 200) << again.response.body;
  EXPECT_EQ(again.status, "duplicate");
  EXPECT_EQ(again.tracking_number, first.tracking_number);

  ASSERT_TRUE(feed_->wait_for(1, event_deadline));
  // A second event would follow the first within the collector's publish latency; give it
  // ample time to show up before concluding there is none.
  std::this_thread::sleep_for(1500ms);
  const auto messages = feed_->messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(json_string(messages[0].payload, "/subject"), first.tracking_number);
  EXPECT_EQ(messages[0].topic, "intake/v1/440303/request");
}

TEST_F(dedup_feed_test, near_duplicate_from_the_same_phone_names_the_original) {
  start_all();
  auto original = submit({.description = "小区门口路灯坏了一个星期", .phone = "13800138000"});
  ASSERT_EQ(original.response.status, 202) << original.response.body;
  ASSERT_TRUE(original.tracking_number);
  // The citizen tries again later, once the first report is already upstream.
  ASSERT_TRUE(feed_->wait_for(1, event_deadline));
  ASSERT_TRUE(wait_outbox_drained(5s));

  auto repeat = submit({.description = "小区门口路灯坏了一个星期了", .phone = "13800138000"});
  ASSERT_EQ(repeat.response.status, 200) << repeat.response.body;
  EXPECT_EQ(repeat.status, "duplicate");
  EXPECT_EQ(repeat.tracking_number, original.tracking_number);

  const std::string topic = "intake/v1/440303/duplicate";
  const bool arrived = feed_->wait_until(
      [&](const auto& messages) { return !on_topic(messages, topic).empty(); }, event_deadline);
  ASSERT_TRUE(arrived)
      << "no event on " << topic << " within 10 s (a way this happened before: events.seq was "
      << "reused once the outbox had drained, so the new event sat below the forwarder's "
      << "cursor). Outbox depth now: " << outbox_depth_metric().value_or(-1);
  const auto dup = on_topic(feed_->messages(), topic).front();
  EXPECT_EQ(json_string(dup.payload, "/type"), "cn.gov.12345.intake.duplicate");
  EXPECT_EQ(json_string(dup.payload, "/data/dedup/status"), "duplicate");
  EXPECT_EQ(json_string(dup.payload, "/data/dedup/duplicate_of"), original.tracking_number);
  EXPECT_EQ(json_string(dup.payload, "/subject"), original.tracking_number);
  EXPECT_NE(json_string(dup.payload, "/id"), original.tracking_number)
      << "the duplicate is an event of its own, not a retry of the original";
  EXPECT_EQ(feed_->size(), 2u);
}

}  // namespace
}  // namespace intake::testing
