#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/support/child_process.hpp"

namespace intake::testing {

/// A real SMTP server that keeps what it receives: Python's aiosmtpd (Debian python3-aiosmtpd)
/// with its Mailbox handler on 127.0.0.1 and an ephemeral port, writing each message, with
/// X-MailFrom and X-RcptTo headers for the envelope, into a Maildir under `work_dir`.
class smtp_sink {
 public:
  explicit smtp_sink(std::filesystem::path work_dir);
  ~smtp_sink() = default;
  smtp_sink(const smtp_sink&) = delete;
  smtp_sink& operator=(const smtp_sink&) = delete;

  /// Stops accepting mail (the port is kept for start()).
  void stop();
  /// Starts again on the same port.
  void start();

  std::uint16_t port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  /// Every message received so far, whole.
  std::vector<std::string> messages() const;
  /// True once at least `count` messages arrived; false at the deadline.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  bool launch();

  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  child_process process_;
};

}  // namespace intake::testing
