#include "tests/integration/support/raw_connection.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace intake::testing {

raw_connection::raw_connection(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

raw_connection::~raw_connection() {
  if (fd_ >= 0) ::close(fd_);
}

raw_connection::raw_connection(raw_connection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      peer_closed_(other.peer_closed_),
      received_(std::move(other.received_)) {}

raw_connection& raw_connection::operator=(raw_connection&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    peer_closed_ = other.peer_closed_;
    received_ = std::move(other.received_);
  }
  return *this;
}

bool raw_connection::send(std::string_view bytes) {
  if (fd_ < 0 || peer_closed_) return false;
  while (!bytes.empty()) {
    const auto sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      peer_closed_ = true;  // EPIPE or ECONNRESET: the peer is gone
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

bool raw_connection::drain(std::chrono::milliseconds wait) {
  if (fd_ < 0 || peer_closed_) return true;
  pollfd p{fd_, POLLIN, 0};
  int timeout_ms = static_cast<int>(wait.count());
  while (::poll(&p, 1, timeout_ms) > 0) {
    char buffer[16384];
    const auto got = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
    if (got > 0) {
      received_.append(buffer, static_cast<std::size_t>(got));
    } else if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      peer_closed_ = true;
      return true;
    }
    timeout_ms = 0;  // only what is there now, unless waiting for the close
  }
  return peer_closed_;
}

bool raw_connection::closed_by_peer() {
  return drain(std::chrono::milliseconds(0));
}

bool raw_connection::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!drain(std::chrono::milliseconds(0))) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(left.count()));
  }
  return true;
}

int raw_connection::response_status() const {
  // "HTTP/1.1 431 ..."
  constexpr std::string_view prefix = "HTTP/1.";
  if (received_.size() < 12 || received_.compare(0, prefix.size(), prefix) != 0) return 0;
  int status = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    const char c = received_[i];
    if (c < '0' || c > '9') return 0;
    status = status * 10 + (c - '0');
  }
  return status;
}

}  // namespace intake::testing
