// Retention: the collector forgets what it no longer needs. At start (and hourly) attachments
// older than media.retention are deleted — but never one stored after the oldest event still
// waiting for the broker, which may list it.

#include <gtest/gtest.h>
#include <utime.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tests/integration/support/integration_fixture.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

class retention_test : public integration_fixture {
 protected:
  /// A file in the collector's media store, written `age` ago.
  std::filesystem::path stored_file(char fill, std::chrono::hours age) {
    const std::string hash(64, fill);
    const auto dir = dir_ / "collector" / "data" / "media" / hash.substr(0, 2);
    std::filesystem::create_directories(dir);
    const auto path = dir / hash;
    std::ofstream(path) << "\xFF\xD8\xFF photo " << fill;
    const auto when = std::chrono::duration_cast<std::chrono::seconds>(
                          (std::chrono::system_clock::now() - age).time_since_epoch())
                          .count();
    utimbuf times{when, when};
    ::utime(path.c_str(), &times);
    return path;
  }
};

TEST_F(retention_test, attachments_past_retention_are_deleted_at_start) {
  const auto expired = stored_file('a', 24h * 31);
  const auto recent = stored_file('b', 24h * 29);
  collector_config config;
  config.set("media.retention", "\"30d\"");
  start_all(config);
  // The purge runs right after start; the state file shows the main loop has run once.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::filesystem::exists(expired) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_FALSE(std::filesystem::exists(expired));
  EXPECT_TRUE(std::filesystem::exists(recent));
  EXPECT_NE(read_file(collector_->log_path()).find("media_purged"), std::string::npos);
}

TEST_F(retention_test, attachments_an_undelivered_event_may_list_are_kept) {
  // An event waits for the broker since before the attachment was stored: the attachment
  // stays, however old, until that event is delivered.
  start_all();
  broker_->stop();
  ASSERT_EQ(submit({"路灯不亮已经一个星期了"}).response.status, 202);
  ASSERT_EQ(collector_->terminate(), 0);
  const auto attachment = stored_file('c', 0h);
  std::this_thread::sleep_for(1100ms);  // retention "1s" now covers the attachment...
  collector_config config;
  config.set("media.retention", "\"1s\"");
  config.mqtt_uri = broker_->uri();
  collector_.reset();
  start_collector(config);  // ...but the waiting event is older still
  std::this_thread::sleep_for(1500ms);
  EXPECT_TRUE(std::filesystem::exists(attachment));
}

}  // namespace
}  // namespace intake::testing
