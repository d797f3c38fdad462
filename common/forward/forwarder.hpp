#pragma once
// Publishes the outbox's events to the broker: MQTT 5 (3.1.1 fallback), QoS 1, no Paho
// persistence (the outbox is the persistence), its own in-flight window, everything not yet
// acknowledged published again after each reconnect, reconnect with jittered backoff.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/core/metrics.hpp"
#include "common/outbox/outbox.hpp"

namespace intake::forward {

struct forwarder_options {
  std::vector<std::string> uris{"tcp://127.0.0.1:1883"};  // tried in order
  std::string client_id = "intake-edge";
  std::string username;
  std::string password;
  std::string ca_file, cert_file, key_file;
  std::string mqtt_version = "auto";  // "auto", "5", "3.1.1"
  int max_inflight = 64;
  std::chrono::milliseconds keepalive{30000};
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds publish_timeout{30000};
  std::chrono::milliseconds reconnect_min{500};
  std::chrono::milliseconds reconnect_max{30000};
};

class forwarder {
 public:
  forwarder(forwarder_options options, outbox::outbox& store, core::metrics& metrics);
  ~forwarder();
  forwarder(const forwarder&) = delete;
  forwarder& operator=(const forwarder&) = delete;

  void start();
  /// Stops publishing new events, waits up to `grace` for PUBACKs in flight, disconnects.
  void stop(std::chrono::milliseconds grace);
  /// New events were committed: publish them now rather than at the next poll.
  void notify();
  /// Events behind the read position became pending again (dead letters replayed): read the
  /// queue from its start once more. Events in flight are not sent twice.
  void rescan();

  bool connected() const { return connected_.load(); }
  /// When the last PUBACK arrived (Unix ms), if any.
  std::optional<std::int64_t> last_publish_ms() const;
  /// The broker last connected to (the first of the list before any connection).
  std::string broker_uri() const;

 private:
  class session;  // everything that touches Paho
  void run();

  forwarder_options options_;
  outbox::outbox& store_;
  core::metrics& metrics_;
  std::unique_ptr<session> session_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool wake_ = false;
  bool rescan_ = false;
  bool stopping_ = false;
  std::chrono::milliseconds grace_{0};
  std::atomic<bool> connected_{false};
  std::atomic<std::int64_t> last_publish_ms_{0};
  mutable std::mutex uri_mutex_;
  std::string connected_uri_;  // the broker of the list last connected to
};

}  // namespace intake::forward
