#include "tests/integration/support/smtp_sink.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "tests/integration/support/free_port.hpp"

namespace intake::testing {

namespace {
constexpr auto start_deadline = std::chrono::seconds(15);
constexpr int port_attempts = 5;
}  // namespace

smtp_sink::smtp_sink(std::filesystem::path work_dir) : dir_(std::move(work_dir)) {
  std::filesystem::create_directories(dir_);
  for (int attempt = 0; attempt < port_attempts; ++attempt) {
    port_ = pick_free_port();
    if (launch()) return;
  }
  throw std::runtime_error("aiosmtpd did not start:\n" + read_file(dir_ / "smtp-sink.log"));
}

bool smtp_sink::launch() {
  process_ = child_process::spawn(
      {"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port_), "-c",
       "aiosmtpd.handlers.Mailbox", (dir_ / "Maildir").string()},
      dir_ / "smtp-sink.log");
  const auto deadline = std::chrono::steady_clock::now() + start_deadline;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_.running()) return false;
    if (port_accepts(port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  process_.kill_and_wait();
  return false;
}

void smtp_sink::stop() {
  process_.kill_and_wait();
}

void smtp_sink::start() {
  if (process_.running()) return;
  for (int attempt = 0; attempt < port_attempts; ++attempt) {
    if (launch()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  throw std::runtime_error("aiosmtpd did not restart:\n" + read_file(dir_ / "smtp-sink.log"));
}

std::vector<std::string> smtp_sink::messages() const {
  std::vector<std::filesystem::path> files;
  for (const char* sub : {"new", "cur"}) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_ / "Maildir" / sub, ec))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(read_file(f));
  return out;
}

bool smtp_sink::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (messages().size() >= count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return messages().size() >= count;
}

}  // namespace intake::testing
