#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace intake::testing {

/// One child process, owned: the destructor kills and reaps it, so a failing test never leaves
/// a broker or collector behind.
class child_process {
 public:
  /// Starts argv[0] (a path) with stdin from /dev/null and stdout+stderr appended to `log_file`.
  /// The child also gets SIGKILL if the spawning thread dies (PR_SET_PDEATHSIG), which covers a
  /// test binary killed by ctest's timeout; so spawn from the test's main thread only.
  static child_process spawn(const std::vector<std::string>& argv,
                             const std::filesystem::path& log_file);

  child_process() = default;
  ~child_process();
  child_process(child_process&& other) noexcept;
  child_process& operator=(child_process&& other) noexcept;
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  /// False once the child has exited (reaps it).
  bool running();
  void signal(int sig) const;
  /// Waits up to `timeout` for the child to exit; its status as a shell reports it (exit code,
  /// or 128 + signal number), nullopt if it is still running.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  /// SIGKILL and reap; returns the exit status.
  int kill_and_wait();
  /// The status once reaped.
  std::optional<int> exit_status() const { return status_; }

 private:
  void reap_if_exited(bool block);

  pid_t pid_ = -1;
  std::optional<int> status_;
};

struct command_result {
  int exit_status = -1;  ///< as child_process reports it; -1 if it timed out and was killed
  std::string output;    ///< stdout and stderr, interleaved
};

/// Runs a command to completion (bounded by `timeout`) and returns its status and output.
/// `output_file` receives the output first; it must be in a writable directory.
command_result run_command(const std::vector<std::string>& argv,
                           const std::filesystem::path& output_file,
                           std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// The whole content of a file ("" if it cannot be read).
std::string read_file(const std::filesystem::path& path);

}  // namespace intake::testing
