#include "tests/integration/support/mosquitto_broker.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "tests/integration/support/free_port.hpp"

namespace intake::testing {

namespace {
constexpr auto start_deadline = std::chrono::seconds(5);
constexpr auto stop_deadline = std::chrono::seconds(5);
constexpr int port_attempts = 5;
}  // namespace

mosquitto_broker::mosquitto_broker(std::filesystem::path work_dir,
                                   std::vector<std::string> extra_config)
    : dir_(std::move(work_dir)), extra_config_(std::move(extra_config)) {
  std::filesystem::create_directories(dir_);
  for (int attempt = 0; attempt < port_attempts; ++attempt) {
    port_ = pick_free_port();
    if (launch()) return;
  }
  throw std::runtime_error("mosquitto did not start; see " + log_path().string() + ":\n" +
                           read_file(log_path()));
}

void mosquitto_broker::write_config() const {
  std::ofstream conf(dir_ / "mosquitto.conf", std::ios::trunc);
  conf << "listener " << port_ << " 127.0.0.1\n"
       << "allow_anonymous true\n"
       // As root mosquitto 2.0 drops to the `mosquitto` user, which cannot write our temp dir.
       << (::geteuid() == 0 ? "user root\n" : "")
       // The defaults (1000 queued, 20 in flight) silently drop or throttle a test's burst.
       << "max_queued_messages 0\n"
       << "max_inflight_messages 0\n"
       // Persistence is on only so that stop()/start() keeps the feed subscriber's session and
       // the messages queued for it: without it, the collector may reconnect and publish before
       // the subscriber has re-subscribed, and the test would lose events the collector did
       // deliver. Saved on exit only (autosave_interval 0); nothing outlives the temp dir.
       << "persistence true\n"
       << "persistence_location " << dir_.string() << "/\n"
       << "autosave_interval 0\n"
       << "log_dest stderr\n"
       << "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
       << "connection_messages true\n";
  for (const auto& line : extra_config_) conf << line << "\n";
}

void mosquitto_broker::reload() {
  process_.signal(SIGHUP);
}

bool mosquitto_broker::launch() {
  write_config();
  process_ = child_process::spawn({"/usr/sbin/mosquitto", "-c", (dir_ / "mosquitto.conf").string()},
                                  log_path());
  const auto deadline = std::chrono::steady_clock::now() + start_deadline;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_.running()) return false;
    if (port_accepts(port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  process_.kill_and_wait();
  return false;
}

void mosquitto_broker::stop() {
  process_.signal(SIGTERM);
  if (!process_.wait_for(stop_deadline)) process_.kill_and_wait();
}

void mosquitto_broker::start() {
  if (process_.running()) return;
  // The same port is needed: the collector's configuration names it. A just-closed listener
  // can linger briefly, so retry a few times.
  for (int attempt = 0; attempt < port_attempts; ++attempt) {
    if (launch()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  throw std::runtime_error("mosquitto did not restart on port " + std::to_string(port_) + "; see " +
                           log_path().string() + ":\n" + read_file(log_path()));
}

}  // namespace intake::testing
