#include "tests/integration/support/integration_fixture.hpp"

#include <csignal>

#include <iostream>
#include <thread>

#include "tests/integration/support/metrics_text.hpp"

namespace intake::testing {

void integration_fixture::start_all(collector_config config) {
  broker_ = std::make_unique<mosquitto_broker>(dir_ / "broker");
  feed_ = std::make_unique<feed_subscriber>(broker_->uri(), dir_ / "feed.jsonl");
  start_collector(std::move(config));
}

void integration_fixture::start_collector(collector_config config) {
  if (config.mqtt_uri.empty() && broker_) config.mqtt_uri = broker_->uri();
  collector_ = std::make_unique<collector_process>(dir_ / "collector", std::move(config));
}

bool integration_fixture::restart_broker_subscriber_first(std::chrono::milliseconds timeout) {
  collector_->signal(SIGSTOP);
  broker_->start();
  const bool subscribed = feed_->resubscribe(timeout);
  collector_->signal(SIGCONT);
  return subscribed;
}

submission_answer integration_fixture::submit(const submission& s, const header_list& headers) {
  return read_answer(http_.post_json(collector_->submissions_url(), submission_json(s), headers));
}

submission_answer integration_fixture::submit_raw(std::string_view body,
                                                  std::string_view content_type,
                                                  const header_list& headers) {
  return read_answer(http_.post(collector_->submissions_url(), body, content_type, headers));
}

std::optional<double> integration_fixture::outbox_depth_metric() {
  auto res = http_.get(collector_->base_url() + "/metrics");
  if (res.status != 200) return std::nullopt;
  return metric_value(res.body, "intake_outbox_depth");
}

bool integration_fixture::wait_outbox_drained(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (outbox_depth_metric() == 0.0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void integration_fixture::TearDown() {
  if (feed_) {
    const auto validation = feed_->validate_all();
    EXPECT_EQ(validation.exit_status, 0)
        << "feed events are not valid against docs/feed.schema.json:\n"
        << validation.output;
  }
  if (collector_ && collector_->running()) collector_->terminate();
  feed_.reset();
  broker_.reset();
  if (HasFailure()) {
    dir_.keep();
    std::cerr << "kept the failed test's files in " << dir_.path().string() << "\n";
  }
}

}  // namespace intake::testing
