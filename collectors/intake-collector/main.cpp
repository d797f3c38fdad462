// intake-collector: the daemon. argv → config → wiring → run until SIGTERM/SIGINT.
#include <signal.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <string>

#include "channels/channel.hpp"
#include "collectors/intake-collector/collector.hpp"
#include "collectors/intake-collector/service_notify.hpp"
#include "common/core/log.hpp"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_config_invalid = 2;
// EX_IOERR (sysexits.h): the data disk failed. systemd's Restart=on-failure starts the collector
// again, which then reopens the outbox as the disk has it.
constexpr int exit_storage_failed = 74;

void usage(std::ostream& out) {
  out << "usage: intake-collector --config FILE [--check-config]\n"
         "\n"
         "  --config FILE     the TOML configuration (see /etc/intake-edge/collector.toml)\n"
         "  --check-config    validate the configuration and exit: 0 valid, 2 invalid,\n"
         "                    each problem printed as file:line: key: reason\n"
         "  --help            this text\n";
}

intake::core::log::level level_of(const std::string& name) {
  using intake::core::log::level;
  if (name == "debug") return level::debug;
  if (name == "warn") return level::warn;
  if (name == "error") return level::error;
  return level::info;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  bool check_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (arg.rfind("--config=", 0) == 0) {
      config_path = arg.substr(9);
    } else if (arg == "--check-config") {
      check_only = true;
    } else if (arg == "--help" || arg == "-h") {
      usage(std::cout);
      return exit_ok;
    } else {
      std::cerr << "intake-collector: unknown argument " << arg << "\n";
      usage(std::cerr);
      return exit_config_invalid;
    }
  }
  if (config_path.empty()) {
    usage(std::cerr);
    return exit_config_invalid;
  }

  std::optional<intake::config::config> cfg;
  try {
    cfg = intake::config::config::load_file(config_path, intake::channels::all_config_keys());
  } catch (const intake::config::config_error& e) {
    for (const auto& p : e.problems()) std::cerr << p << "\n";
    return exit_config_invalid;
  }
  if (check_only) {
    std::cout << config_path << ": ok\n";
    return exit_ok;
  }
  intake::core::log::set_min_level(level_of(cfg->get_string("log.level")));
  intake::core::log::set_json(cfg->get_string("log.format") == "json");

  // Signals are taken by sigwait on this thread; block them before any thread starts so that
  // no worker thread is interrupted by them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  try {
    intake::collector::collector daemon(*cfg);
    daemon.start();
    intake::core::log::info("collector_started", {{"collector", cfg->get_string("collector.id")},
                                                  {"region", cfg->get_string("collector.region")}});
    // Refresh the state file every second and purge expired records hourly, until a stop
    // signal arrives.
    intake::collector::notify_service_manager("READY=1");
    daemon.purge_expired_records();
    auto next_purge = std::chrono::steady_clock::now() + std::chrono::hours(1);
    while (true) {
      timespec timeout{1, 0};
      const int sig = sigtimedwait(&signals, nullptr, &timeout);
      if (sig == SIGTERM || sig == SIGINT) {
        intake::core::log::info("signal_received",
                                {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
        intake::collector::notify_service_manager("STOPPING=1");
        break;
      }
      if (auto failure = daemon.storage_failure()) {
        // Everything acknowledged was fsynced before its answer; what the failed disk still
        // holds is read again, and sent, by the next start.
        intake::core::log::error(
            "storage_failed", {{"reason", *failure},
                               {"action", "stopping; start again once the data disk is repaired"}});
        intake::collector::notify_service_manager("STOPPING=1");
        daemon.stop();
        return exit_storage_failed;
      }
      daemon.write_state_file();
      daemon.answer_replay_requests();
      intake::collector::notify_service_manager("WATCHDOG=1");
      if (std::chrono::steady_clock::now() >= next_purge) {
        daemon.purge_expired_records();
        next_purge = std::chrono::steady_clock::now() + std::chrono::hours(1);
      }
    }
    daemon.stop();
  } catch (const std::exception& e) {
    intake::core::log::error("startup_failed", {{"reason", e.what()}});
    std::cerr << "intake-collector: " << e.what() << "\n";
    return exit_failure;
  }
  return exit_ok;
}
