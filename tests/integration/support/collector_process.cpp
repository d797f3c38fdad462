#include "tests/integration/support/collector_process.hpp"

#include <signal.h>

#include <fstream>
#include <stdexcept>
#include <thread>

#include "tests/integration/support/free_port.hpp"
#include "tests/integration/support/json_fields.hpp"

namespace intake::testing {

namespace {
constexpr auto start_deadline = std::chrono::seconds(15);

std::string log_tail(const std::filesystem::path& path) {
  std::string log = read_file(path);
  constexpr std::size_t keep = 4000;
  return log.size() > keep ? "..." + log.substr(log.size() - keep) : log;
}
}  // namespace

collector_process::collector_process(std::filesystem::path work_dir, collector_config config)
    : dir_(std::move(work_dir)), data_dir_(dir_ / "data"), config_path_(dir_ / "collector.toml") {
  std::filesystem::create_directories(data_dir_);
  std::ofstream(config_path_, std::ios::trunc) << config.to_toml(data_dir_);
  start();
}

void collector_process::start() {
  port_ = 0;
  process_ = child_process::spawn(
      {std::string(INTAKE_BIN_DIR) + "/intake-collector", "--config", config_path_.string()},
      log_path());
  // The state file names the pid that wrote it, which tells this run's file from the one a
  // previous run left behind in the same data_dir.
  const auto state_path = data_dir_ / "collector.state.json";
  const auto deadline = std::chrono::steady_clock::now() + start_deadline;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_.running()) {
      throw std::runtime_error("intake-collector exited with status " +
                               std::to_string(process_.exit_status().value_or(-1)) +
                               " at startup; log:\n" + log_tail(log_path()));
    }
    const std::string state = read_file(state_path);
    const auto pid = json_int(state, "/pid");
    const auto port = json_int(state, "/http_port");
    if (pid && *pid == process_.pid() && port && *port > 0 &&
        port_accepts(static_cast<std::uint16_t>(*port))) {
      port_ = static_cast<std::uint16_t>(*port);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  process_.kill_and_wait();
  throw std::runtime_error("intake-collector did not serve HTTP within the deadline; log:\n" +
                           log_tail(log_path()));
}

int collector_process::terminate(std::chrono::milliseconds timeout) {
  process_.signal(SIGTERM);
  if (auto status = process_.wait_for(timeout)) return *status;
  process_.kill_and_wait();
  return -1;
}

void collector_process::kill9() {
  process_.kill_and_wait();
}

void collector_process::restart() {
  if (process_.running()) terminate();
  start();
}

command_result collector_process::ctl_status() {
  return ctl({"status", "--json"});
}

command_result collector_process::ctl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{std::string(INTAKE_BIN_DIR) + "/intakectl"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--config");
  argv.push_back(config_path_.string());
  // Longer than intakectl's own 15 s wait for the collector's answer to a replay.
  return run_command(argv, dir_ / "intakectl.out", std::chrono::seconds(30));
}

}  // namespace intake::testing
