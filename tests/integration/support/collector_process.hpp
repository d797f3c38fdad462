#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/support/child_process.hpp"
#include "tests/integration/support/collector_config.hpp"

namespace intake::testing {

/// The real intake-collector binary, run from a config written into `work_dir`. The data_dir
/// survives kill9()/terminate() + restart(), as it would on a county office's box.
class collector_process {
 public:
  /// Writes the config and starts the collector; returns once it serves HTTP.
  collector_process(std::filesystem::path work_dir, collector_config config);
  ~collector_process() = default;
  collector_process(const collector_process&) = delete;
  collector_process& operator=(const collector_process&) = delete;

  /// SIGTERM, then waits up to `timeout` for a graceful exit; returns the exit status
  /// (-1 if it had to be killed after the deadline).
  int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// SIGKILL: a crash, with no chance to flush or answer anything.
  void kill9();
  /// Starts again with the same config and data_dir (the HTTP port may change).
  void restart();
  /// Sends a signal without waiting (e.g. SIGTERM while requests are in flight).
  void signal(int sig) const { process_.signal(sig); }
  /// Waits for an exit started by signal(); nullopt if still running at the deadline.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    return process_.wait_for(timeout);
  }
  bool running() { return process_.running(); }
  pid_t pid() const { return process_.pid(); }

  std::uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string submissions_url() const { return base_url() + "/api/v1/submissions"; }
  const std::filesystem::path& config_path() const { return config_path_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::filesystem::path log_path() const { return dir_ / "collector.log"; }

  /// `intakectl status --config FILE --json`.
  command_result ctl_status();
  /// `intakectl ARGS... --config FILE`.
  command_result ctl(const std::vector<std::string>& args);

 private:
  void start();

  std::filesystem::path dir_;
  std::filesystem::path data_dir_;
  std::filesystem::path config_path_;
  std::uint16_t port_ = 0;
  child_process process_;
};

}  // namespace intake::testing
