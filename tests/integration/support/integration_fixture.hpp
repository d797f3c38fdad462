#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "tests/integration/support/collector_process.hpp"
#include "tests/integration/support/feed_subscriber.hpp"
#include "tests/integration/support/http_client.hpp"
#include "tests/integration/support/mosquitto_broker.hpp"
#include "tests/integration/support/submissions.hpp"
#include "tests/integration/support/temp_dir.hpp"

namespace intake::testing {

/// Each test gets its own broker, feed subscriber and collector in its own temp dir. TearDown
/// checks that every event the feed received is valid against docs/feed.schema.json, stops
/// everything, and keeps the temp dir (logs, config, feed.jsonl) when the test failed.
class integration_fixture : public ::testing::Test {
 protected:
  /// Broker, then the subscriber (before anything can be published), then the collector.
  void start_all(collector_config config = {});
  void start_collector(collector_config config = {});

  /// POST a submission to the api channel with the fixture's client.
  submission_answer submit(const submission& s, const header_list& headers = {});
  submission_answer submit_raw(std::string_view body, std::string_view content_type,
                               const header_list& headers = {});
  /// intake_outbox_depth from GET /metrics.
  std::optional<double> outbox_depth_metric();
  /// True once /metrics reports an empty outbox; false at the deadline.
  bool wait_outbox_drained(std::chrono::milliseconds timeout);

  /// Starts the stopped broker again with the feed subscriber back first: the collector waits,
  /// stopped (SIGSTOP), until the subscriber has reconnected and subscribed again, then goes on.
  /// mosquitto 2.0.11 does not restore an MQTT 5 subscriber's session after a restart, so
  /// without this the collector may deliver before anyone listens. False if the subscriber did
  /// not come back within `timeout`.
  bool restart_broker_subscriber_first(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));

  void TearDown() override;

  temp_dir dir_;
  std::unique_ptr<mosquitto_broker> broker_;
  std::unique_ptr<feed_subscriber> feed_;
  std::unique_ptr<collector_process> collector_;
  http_client http_;
};

}  // namespace intake::testing
