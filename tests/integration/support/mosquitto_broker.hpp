#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/support/child_process.hpp"

namespace intake::testing {

/// A private mosquitto on 127.0.0.1 with an ephemeral port and its own config file, started by
/// the constructor and killed by the destructor. stop()/start() keep the port, so a collector
/// sees a real outage and a real recovery.
class mosquitto_broker {
 public:
  /// `work_dir` receives mosquitto.conf, mosquitto.log and the persistence file;
  /// `extra_config` lines are appended to mosquitto.conf (e.g. an acl_file).
  explicit mosquitto_broker(std::filesystem::path work_dir,
                            std::vector<std::string> extra_config = {});
  ~mosquitto_broker() = default;
  mosquitto_broker(const mosquitto_broker&) = delete;
  mosquitto_broker& operator=(const mosquitto_broker&) = delete;

  /// Graceful stop (SIGTERM); the broker saves its sessions so subscribers survive the outage.
  void stop();
  /// Starts again on the same port; returns once the port accepts connections.
  void start();
  bool running() { return process_.running(); }
  /// SIGHUP: mosquitto re-reads its configuration and ACL file without dropping clients.
  void reload();

  std::uint16_t port() const { return port_; }
  std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  std::filesystem::path log_path() const { return dir_ / "mosquitto.log"; }

 private:
  void write_config() const;
  bool launch();  // false if mosquitto exited before accepting (e.g. the port was taken)

  std::filesystem::path dir_;
  std::vector<std::string> extra_config_;
  std::uint16_t port_ = 0;
  child_process process_;
};

}  // namespace intake::testing
