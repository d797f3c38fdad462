#include "tests/integration/support/feed_subscriber.hpp"

#include <thread>

#include <mqtt/async_client.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <stdexcept>

// The only file of the harness that includes Paho; its exceptions stop here.

namespace intake::testing {

namespace {
constexpr auto connect_deadline = std::chrono::seconds(5);

std::string unique_client_id() {
  static std::atomic<int> counter{0};
  return "intake-it-feed-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}
}  // namespace

feed_subscriber::feed_subscriber(const std::string& broker_uri, std::filesystem::path jsonl_file,
                                 const std::string& topic_filter)
    : jsonl_file_(std::move(jsonl_file)) {
  try {
    client_ = std::make_unique<mqtt::async_client>(broker_uri, unique_client_id(),
                                                   mqtt::create_options(MQTTVERSION_5));
    client_->set_message_callback([this](mqtt::const_message_ptr msg) {
      on_message(msg->get_topic(), msg->get_payload_str());
    });
    // A unique client id means no earlier session exists, so clean_start=false starts clean
    // too; it matters on reconnect: with the session kept (expiry below) and the broker's
    // persistence, a broker stop()/start() neither drops the subscription nor the messages
    // published while this client was reconnecting.
    auto options =
        mqtt::connect_options_builder()
            .mqtt_version(MQTTVERSION_5)
            .clean_start(false)
            .properties({mqtt::property(mqtt::property::SESSION_EXPIRY_INTERVAL, 600)})
            .keep_alive_interval(std::chrono::seconds(30))
            .connect_timeout(std::chrono::seconds(3))
            .automatic_reconnect(std::chrono::milliseconds(50), std::chrono::milliseconds(500))
            .finalize();
    if (!client_->connect(options)->wait_for(connect_deadline)) {
      throw std::runtime_error("connect timed out");
    }
    topic_filter_ = topic_filter;
    auto sub = client_->subscribe(topic_filter, 1);
    if (!sub->wait_for(connect_deadline)) throw std::runtime_error("subscribe timed out");
    // The response is returned by value: keep it alive while its reason codes are read.
    const auto response = sub->get_subscribe_response();
    for (const auto rc : response.get_reason_codes()) {
      if (rc > mqtt::GRANTED_QOS_2) {
        throw std::runtime_error("subscribe refused, reason " + std::to_string(rc));
      }
    }
  } catch (const mqtt::exception& e) {
    throw std::runtime_error("feed_subscriber: " + broker_uri + ": " + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("feed_subscriber: " + broker_uri + ": " + e.what());
  }
}

feed_subscriber::~feed_subscriber() {
  try {
    if (client_->is_connected()) client_->disconnect()->wait_for(std::chrono::seconds(2));
  } catch (const mqtt::exception&) {
    // The broker may already be gone; the messages are what matters here.
  }
  client_.reset();  // no callback may run once the members below start to go away
  bool covered = false;
  {
    std::lock_guard lock(mutex_);
    covered = validated_count_ && *validated_count_ == messages_.size();
  }
  if (covered) {
    write_jsonl(messages());
    return;
  }
  const auto result = validate_all();
  if (result.exit_status != 0) {
    std::cerr << "feed_subscriber: feed events invalid against the schema (" << jsonl_file_.string()
              << "):\n"
              << result.output;
  }
}

void feed_subscriber::on_message(std::string topic, std::string payload) {
  {
    std::lock_guard lock(mutex_);
    messages_.push_back({std::move(topic), std::move(payload)});
  }
  arrived_.notify_all();
}

bool feed_subscriber::resubscribe(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!client_->is_connected()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  try {
    auto sub = client_->subscribe(topic_filter_, 1);
    return sub->wait_for(std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()));
  } catch (const mqtt::exception&) {
    return false;
  }
}

std::vector<feed_message> feed_subscriber::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

std::size_t feed_subscriber::size() const {
  std::lock_guard lock(mutex_);
  return messages_.size();
}

bool feed_subscriber::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
}

bool feed_subscriber::wait_until(const std::function<bool(const std::vector<feed_message>&)>& done,
                                 std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return done(messages_); });
}

void feed_subscriber::write_jsonl(const std::vector<feed_message>& messages) const {
  std::ofstream out(jsonl_file_, std::ios::trunc | std::ios::binary);
  // A compact JSON payload has no raw newline; one that has one shows up as invalid lines.
  for (const auto& m : messages) out << m.payload << "\n";
}

command_result feed_subscriber::validate_all() {
  const auto snapshot = messages();
  write_jsonl(snapshot);
  const std::string source = INTAKE_SOURCE_DIR;
  auto result = run_command({"/usr/bin/python3", source + "/tests/tools/validate_feed.py",
                             source + "/docs/feed.schema.json", jsonl_file_.string()},
                            jsonl_file_.string() + ".validation", std::chrono::seconds(60));
  std::lock_guard lock(mutex_);
  validated_count_ = snapshot.size();
  return result;
}

}  // namespace intake::testing
