// The forwarder's upstream options against a real broker: MQTT 3.1.1 when configured, and a
// broker list where the first address is dead.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/integration/support/free_port.hpp"
#include "tests/integration/support/integration_fixture.hpp"
#include "tests/integration/support/json_fields.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

struct upstream_case {
  const char* name;
  const char* mqtt_version;
  bool dead_broker_first;
  const char* protocol_logged;  // what the collector says it connected with
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void PrintTo(const upstream_case& c, std::ostream* out) {
  *out << c.name;
}

class upstream_test : public integration_fixture,
                      public ::testing::WithParamInterface<upstream_case> {};

TEST_P(upstream_test, events_arrive) {
  const auto& c = GetParam();
  broker_ = std::make_unique<mosquitto_broker>(dir_ / "broker");
  feed_ = std::make_unique<feed_subscriber>(broker_->uri(), dir_ / "feed.jsonl");
  collector_config config;
  config.set("upstream.mqtt_version", toml_string(c.mqtt_version));
  if (c.dead_broker_first) {
    // Nothing listens on the first address: the collector must move on to the second.
    const std::string dead = "tcp://127.0.0.1:" + std::to_string(pick_free_port());
    config.set("upstream.mqtt_uri",
               "[" + toml_string(dead) + ", " + toml_string(broker_->uri()) + "]");
  }
  start_collector(config);

  auto answer = submit({.description = "公交站牌被撞坏了，请尽快修复"});
  ASSERT_EQ(answer.response.status, 202) << answer.response.body;
  ASSERT_TRUE(feed_->wait_for(1, 15s)) << "no event arrived";
  EXPECT_EQ(json_string(feed_->messages().front().payload, "/subject"), *answer.tracking_number);
  const std::string log = read_file(collector_->log_path());
  EXPECT_NE(log.find(std::string("event=mqtt_connected broker=") + broker_->uri() +
                     " protocol=" + c.protocol_logged),
            std::string::npos)
      << log;
}

INSTANTIATE_TEST_SUITE_P(cases, upstream_test,
                         ::testing::Values(upstream_case{"mqtt_3_1_1", "3.1.1", false, "3.1.1"},
                                           upstream_case{"mqtt_5", "5", false, "5"},
                                           upstream_case{"failover_to_second_broker", "auto", true,
                                                         "5"}));

}  // namespace
}  // namespace intake::testing
