// A province: the county's collector publishes to the county's broker, which bridges the feed at
// QoS 1 to the centre's broker; the centre consumes with an MQTT 5 shared subscription, so its
// consumers split the feed between them. Every accepted submission reaches the centre under one
// event id — also when the county broker (and with it the bridge) restarts mid-feed. QoS 1 may
// deliver a message twice after such a restart, and the shared group may hand the second copy
// to the other consumer: the copy has the same id and the same content, so a centre that stores
// events by id (as it must) holds each exactly once.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "tests/integration/support/integration_fixture.hpp"
#include "tests/integration/support/json_fields.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t burst = 30;

class province_test : public integration_fixture {
 protected:
  /// The bridge section of the county broker's mosquitto.conf, as docs/OPERATIONS.md gives it.
  static std::vector<std::string> bridge_to(const mosquitto_broker& centre) {
    return {"connection centre",
            "address 127.0.0.1:" + std::to_string(centre.port()),
            "remote_clientid county-440303-bridge",
            "topic intake/v1/# out 1",           // QoS 1: the default (0) would drop on any hiccup
            "bridge_protocol_version mqttv311",  // 2.0.11 fails its own v5 bridge handshake
            "cleansession false",
            "restart_timeout 1 5"};
  }

  std::size_t delivered_ids() const {
    std::set<std::string> ids;
    for (const auto* consumer : {first_.get(), second_.get()}) {
      for (const auto& m : consumer->messages())
        ids.insert(json_string(m.payload, "/id").value_or(""));
    }
    return ids.size();
  }

  bool wait_delivered(std::size_t count, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (delivered_ids() >= count) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  void submit_burst(const std::string& tag, std::set<std::string>& accepted) {
    for (std::size_t i = 0; i < burst; ++i) {
      auto answer = submit({"第" + std::to_string(i) + "号路灯不亮了，" + tag + "批次，编号" +
                            std::to_string(i * 7919 + tag.size())});
      ASSERT_EQ(answer.response.status, 202) << answer.response.body;
      accepted.insert(*answer.tracking_number);
    }
  }

  std::unique_ptr<mosquitto_broker> centre_;
  std::unique_ptr<feed_subscriber> first_, second_;
};

TEST_F(province_test, county_feed_bridged_to_the_centre_reaches_one_shared_consumer_each) {
  centre_ = std::make_unique<mosquitto_broker>(dir_ / "centre");
  first_ = std::make_unique<feed_subscriber>(centre_->uri(), dir_ / "first.jsonl",
                                             "$share/central/intake/v1/#");
  second_ = std::make_unique<feed_subscriber>(centre_->uri(), dir_ / "second.jsonl",
                                              "$share/central/intake/v1/#");
  broker_ = std::make_unique<mosquitto_broker>(dir_ / "county", bridge_to(*centre_));
  start_collector();

  std::set<std::string> accepted;
  submit_burst("first", accepted);
  ASSERT_TRUE(wait_delivered(burst, 20s)) << delivered_ids() << " of " << burst;

  // The county broker restarts (a reboot, an upgrade): the collector keeps what it accepts in
  // its outbox, and the bridge resumes from the county broker's saved queue.
  broker_->stop();
  submit_burst("second", accepted);
  broker_->start();
  ASSERT_TRUE(wait_delivered(2 * burst, 30s)) << delivered_ids() << " of " << 2 * burst;

  // Exactly once by event id: every accepted submission under one id, any copy identical.
  std::map<std::string, std::string> payload_of;
  std::set<std::string> subjects;
  std::size_t received = 0;
  for (const auto* consumer : {first_.get(), second_.get()}) {
    EXPECT_FALSE(consumer->messages().empty()) << "the shared subscription gave one consumer all";
    for (const auto& m : consumer->messages()) {
      ++received;
      const std::string id = json_string(m.payload, "/id").value_or("");
      auto [it, fresh] = payload_of.emplace(id, m.payload);
      EXPECT_EQ(it->second, m.payload) << "event " << id << " arrived with different content";
      subjects.insert(json_string(m.payload, "/subject").value_or(""));
    }
  }
  EXPECT_EQ(subjects, accepted);
  EXPECT_EQ(payload_of.size(), 2 * burst);
  // Redeliveries come only from the restart: at most what was in flight then.
  EXPECT_LE(received - payload_of.size(), burst);
  RecordProperty("redelivered", static_cast<int>(received - payload_of.size()));
}

}  // namespace
}  // namespace intake::testing
