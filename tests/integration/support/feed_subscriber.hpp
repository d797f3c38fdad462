#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/support/child_process.hpp"

namespace mqtt {
class async_client;
}

namespace intake::testing {

struct feed_message {
  std::string topic;
  std::string payload;
};

/// Watches the feed the way the central platform does: an MQTT 5 client with a QoS 1
/// subscription to `intake/v1/#`, in place before the constructor returns (so before a test
/// sends anything). Every payload it receives is kept, written to a JSONL file and checked
/// against docs/feed.schema.json by the project's validator.
class feed_subscriber {
 public:
  /// Connects and subscribes; throws if that does not succeed within a few seconds.
  /// `jsonl_file` receives every payload, one per line.
  feed_subscriber(const std::string& broker_uri, std::filesystem::path jsonl_file,
                  const std::string& topic_filter = "intake/v1/#");
  /// Disconnects, writes the JSONL file and, unless validate_all() already covered every
  /// message, validates it (printing the validator's output on failure).
  ~feed_subscriber();
  feed_subscriber(const feed_subscriber&) = delete;
  feed_subscriber& operator=(const feed_subscriber&) = delete;

  std::vector<feed_message> messages() const;
  std::size_t size() const;
  /// True once at least `count` messages arrived; false at the deadline.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) const;
  /// True once `done(messages)` holds; false at the deadline.
  bool wait_until(const std::function<bool(const std::vector<feed_message>&)>& done,
                  std::chrono::milliseconds timeout) const;

  /// Writes every message so far to the JSONL file and runs
  /// `/usr/bin/python3 tests/tools/validate_feed.py docs/feed.schema.json FILE`.
  command_result validate_all();

  /// After a broker restart: waits until the client is connected again and subscribes anew
  /// (the broker may not have kept the session). False at the deadline.
  bool resubscribe(std::chrono::milliseconds timeout);

 private:
  void on_message(std::string topic, std::string payload);
  void write_jsonl(const std::vector<feed_message>& messages) const;

  std::filesystem::path jsonl_file_;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::string topic_filter_;
  std::vector<feed_message> messages_;
  std::optional<std::size_t> validated_count_;
  // Last, so it is destroyed first: its callbacks use the members above.
  std::unique_ptr<mqtt::async_client> client_;
};

}  // namespace intake::testing
