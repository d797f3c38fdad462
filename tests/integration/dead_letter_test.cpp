// A broker that refuses the collector's publishes for good (here: its ACL denies the topic)
// gets nothing lost: the refused events are kept aside as dead letters, `intakectl outbox list`
// and `show` let the operator see them, and once the ACL is fixed `intakectl outbox replay`
// sends them — through the running collector, or straight in the outbox file while it is
// stopped, to go out when it starts.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "tests/integration/support/integration_fixture.hpp"
#include "tests/integration/support/json_fields.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

struct replay_case {
  const char* name;
  bool collector_running_during_replay;
};

void PrintTo(const replay_case& c, std::ostream* os) {
  *os << c.name;
}

class dead_letter_test : public integration_fixture,
                         public ::testing::WithParamInterface<replay_case> {
 protected:
  void write_acl(const std::string& rules) {
    std::ofstream(dir_ / "acl", std::ios::trunc) << rules;
  }

  std::optional<std::int64_t> dead_letters() {
    auto status = collector_->ctl_status();
    if (status.exit_status != 0) return std::nullopt;
    return json_int(status.output, "/dead_letters");
  }

  bool wait_dead_letters(std::int64_t count, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (dead_letters() == count) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  bool wait_broker_log(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (read_file(broker_->log_path()).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
};

TEST_P(dead_letter_test, refused_events_are_kept_listed_and_replayed_after_the_fix) {
  // Anonymous clients may read everything and publish nothing: the feed subscriber works, the
  // collector's publishes get PUBACK "not authorized".
  write_acl("topic read #\n");
  broker_ = std::make_unique<mosquitto_broker>(
      dir_ / "broker", std::vector<std::string>{"acl_file " + (dir_ / "acl").string()});
  feed_ = std::make_unique<feed_subscriber>(broker_->uri(), dir_ / "feed.jsonl");
  start_collector();

  std::set<std::string> accepted;
  for (const char* text : {"路灯坏了一个星期没人修", "小区垃圾三天没有清运", "公交站牌被撞倒了"}) {
    auto answer = submit({text});
    ASSERT_EQ(answer.response.status, 202) << answer.response.body;
    accepted.insert(*answer.tracking_number);
  }
  ASSERT_TRUE(wait_dead_letters(3, 15s)) << "the refused events are not dead letters";
  EXPECT_TRUE(feed_->messages().empty()) << "the broker was to refuse every publish";

  auto listed = collector_->ctl({"outbox", "list", "--dead", "--json"});
  ASSERT_EQ(listed.exit_status, 0) << listed.output;
  auto rows = parse_json(listed.output);
  ASSERT_TRUE(rows && rows->IsArray()) << listed.output;
  std::set<std::string> dead_ids;
  for (const auto& row : rows->GetArray()) {
    EXPECT_EQ(json_string(row, "/state"), "dead");
    EXPECT_NE(json_string(row, "/dead_reason").value_or("").find("135"), std::string::npos)
        << "the reason names the broker's answer (135 = not authorized)";
    dead_ids.insert(json_string(row, "/event_id").value_or(""));
  }
  EXPECT_EQ(dead_ids, accepted) << "a new request's event id is its tracking number";

  auto shown = collector_->ctl({"outbox", "show", *accepted.begin()});
  ASSERT_EQ(shown.exit_status, 0) << shown.output;
  EXPECT_NE(shown.output.find("state: dead"), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find("\"subject\":\"" + *accepted.begin() + "\""), std::string::npos)
      << shown.output;
  EXPECT_EQ(collector_->ctl({"outbox", "show", "NOPE-NOPE-NOPE-0"}).exit_status, 1);

  // The fix: the broker lets the collector publish again.
  write_acl("topic readwrite #\n");
  broker_->reload();
  ASSERT_TRUE(wait_broker_log("Reloading config", 5s));
  std::this_thread::sleep_for(200ms);  // the log line is written before the ACL is re-read

  if (!GetParam().collector_running_during_replay) {
    ASSERT_EQ(collector_->terminate(), 0);
    // The state file says "stopped" once it is a few seconds old.
    std::this_thread::sleep_for(5500ms);
  }
  auto replayed = collector_->ctl({"outbox", "replay", "--all"});
  ASSERT_EQ(replayed.exit_status, 0) << replayed.output;
  EXPECT_NE(replayed.output.find("replayed 3 dead letters"), std::string::npos) << replayed.output;
  if (!GetParam().collector_running_during_replay) collector_->restart();

  ASSERT_TRUE(feed_->wait_for(3, 15s)) << "the replayed events did not reach the feed";
  std::set<std::string> delivered;
  for (const auto& m : feed_->messages()) {
    delivered.insert(json_string(m.payload, "/subject").value_or(""));
  }
  EXPECT_EQ(delivered, accepted);
  EXPECT_TRUE(wait_dead_letters(0, 10s));
  EXPECT_TRUE(wait_outbox_drained(10s));

  auto again = collector_->ctl({"outbox", "replay", "--all"});
  EXPECT_EQ(again.exit_status, 0) << again.output;
  EXPECT_NE(again.output.find("replayed 0 dead letters"), std::string::npos) << again.output;
}

INSTANTIATE_TEST_SUITE_P(replay, dead_letter_test,
                         ::testing::Values(replay_case{"through_the_running_collector", true},
                                           replay_case{"in_the_file_while_stopped", false}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace intake::testing
