#pragma once

#include <csignal>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/support/child_process.hpp"

namespace intake::testing {

/// A consumer of the feed in its own process: mosquitto's `mosquitto_sub` with a persistent
/// MQTT 3.1.1 session (clean_session false) and a QoS 1 subscription, printing one payload per
/// line to a file. Being a process, it can be stopped (SIGSTOP) to play a consumer that has
/// stalled. Its session survives a broker stop()/start(): the broker keeps what is published
/// for it meanwhile, and it reconnects by itself.
class mosquitto_sub_client {
 public:
  /// Starts it with `client_id` and returns once its subscription is in place (checked with
  /// a probe message on a topic of its own); throws if it is not within a few seconds.
  mosquitto_sub_client(std::uint16_t broker_port, std::string client_id,
                       std::filesystem::path output_file,
                       const std::string& topic_filter = "intake/v1/#");

  /// SIGSTOP: it reads nothing more; the broker queues what comes for it.
  void pause() const { process_.signal(SIGSTOP); }
  /// SIGCONT.
  void resume() const { process_.signal(SIGCONT); }

  /// The payloads it printed so far (the probe left out).
  std::vector<std::string> payloads() const;

 private:
  std::uint16_t port_;
  std::string client_id_;
  std::filesystem::path output_file_;
  child_process process_;
};

}  // namespace intake::testing
