// Under systemd (Type=notify, WatchdogSec=) the collector says READY=1 once it serves, pings
// WATCHDOG=1 while its main loop runs, and says STOPPING=1 when SIGTERM starts the drain. The
// test plays the service manager: a datagram socket named by $NOTIFY_SOCKET.

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tests/integration/support/integration_fixture.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

class service_manager_socket {
 public:
  explicit service_manager_socket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    ::unlink(path.c_str());
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("cannot bind " + path);
    }
  }
  ~service_manager_socket() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }

  /// True once a datagram equal to `state` arrives; false at the deadline.
  bool wait_for(const std::string& state, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[256];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0 && std::string(buf, static_cast<std::size_t>(n)) == state) return true;
    }
  }

 private:
  std::string path_;
  int fd_ = -1;
};

class service_notify_test : public integration_fixture {};

TEST_F(service_notify_test, says_ready_pings_the_watchdog_and_says_stopping) {
  // Socket paths are limited to 107 bytes; the temp dir's path is short enough.
  service_manager_socket manager((dir_ / "notify.sock").string());
  ::setenv("NOTIFY_SOCKET", (dir_ / "notify.sock").c_str(), 1);
  start_all();
  ::unsetenv("NOTIFY_SOCKET");

  EXPECT_TRUE(manager.wait_for("READY=1", 10s));
  EXPECT_TRUE(manager.wait_for("WATCHDOG=1", 3s));
  EXPECT_TRUE(manager.wait_for("WATCHDOG=1", 3s)) << "the watchdog is pinged again and again";
  collector_->signal(SIGTERM);
  EXPECT_TRUE(manager.wait_for("STOPPING=1", 5s));
  EXPECT_EQ(collector_->wait_exit(20s), 0);
}

}  // namespace
}  // namespace intake::testing
