#include "tests/integration/support/child_process.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace intake::testing {

namespace {
int shell_status(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return -1;
}
}  // namespace

child_process child_process::spawn(const std::vector<std::string>& argv,
                                   const std::filesystem::path& log_file) {
  if (argv.empty()) throw std::invalid_argument("spawn: empty argv");
  // Everything the child needs is prepared before fork(): between fork and exec in a
  // multithreaded process only async-signal-safe calls are allowed.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::string log = log_file.string();
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
    const int null_fd = ::open("/dev/null", O_RDONLY);
    const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (null_fd < 0 || log_fd < 0) ::_exit(127);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execv(args[0], args.data());
    // Say why in the log (only async-signal-safe calls here): an empty log with status 127
    // otherwise hides e.g. a binary being relinked at that moment.
    static constexpr char message[] = "child_process: execv failed, errno ";
    const int err = errno;
    char digits[12];
    int n = 0;
    for (int e = err; n == 0 || e > 0; e /= 10) digits[n++] = static_cast<char>('0' + e % 10);
    [[maybe_unused]] auto w = ::write(STDERR_FILENO, message, sizeof message - 1);
    while (n > 0) w = ::write(STDERR_FILENO, &digits[--n], 1);
    w = ::write(STDERR_FILENO, "\n", 1);
    ::_exit(127);
  }
  child_process child;
  child.pid_ = pid;
  return child;
}

child_process::~child_process() {
  if (pid_ > 0 && !status_) kill_and_wait();
}

child_process::child_process(child_process&& other) noexcept
    : pid_(other.pid_), status_(other.status_) {
  other.pid_ = -1;
  other.status_.reset();
}

child_process& child_process::operator=(child_process&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0 && !status_) kill_and_wait();
    pid_ = other.pid_;
    status_ = other.status_;
    other.pid_ = -1;
    other.status_.reset();
  }
  return *this;
}

void child_process::reap_if_exited(bool block) {
  if (pid_ <= 0 || status_) return;
  int raw = 0;
  const pid_t r = ::waitpid(pid_, &raw, block ? 0 : WNOHANG);
  if (r == pid_) status_ = shell_status(raw);
}

bool child_process::running() {
  reap_if_exited(false);
  return pid_ > 0 && !status_;
}

void child_process::signal(int sig) const {
  if (pid_ > 0 && !status_) ::kill(pid_, sig);
}

std::optional<int> child_process::wait_for(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status_;
}

int child_process::kill_and_wait() {
  if (pid_ <= 0) return -1;
  if (!status_) {
    ::kill(pid_, SIGKILL);
    reap_if_exited(true);  // SIGKILL cannot be caught: this returns promptly
  }
  return status_.value_or(-1);
}

command_result run_command(const std::vector<std::string>& argv,
                           const std::filesystem::path& output_file,
                           std::chrono::milliseconds timeout) {
  std::error_code ignored;
  std::filesystem::remove(output_file, ignored);
  auto child = child_process::spawn(argv, output_file);
  command_result result;
  if (auto status = child.wait_for(timeout)) {
    result.exit_status = *status;
  } else {
    child.kill_and_wait();
  }
  result.output = read_file(output_file);
  return result;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace intake::testing
