#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace intake::testing {

/// A bare TCP connection to 127.0.0.1, for clients no HTTP library would be: one that sends
/// its request a byte at a time, one that connects and sends nothing, one whose header is a
/// megabyte long. Closed by the destructor.
class raw_connection {
 public:
  /// Connects; check connected().
  explicit raw_connection(std::uint16_t port);
  ~raw_connection();
  raw_connection(raw_connection&& other) noexcept;
  raw_connection& operator=(raw_connection&& other) noexcept;
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  bool connected() const { return fd_ >= 0; }
  /// Sends every byte (blocking); false once the peer has closed or reset the connection.
  bool send(std::string_view bytes);
  /// Reads what the peer sent without waiting; true once it has closed (or reset) the
  /// connection. What arrived before is kept in received().
  bool closed_by_peer();
  /// Reads until the peer closes the connection or `timeout` passes; true if it closed.
  bool wait_closed(std::chrono::milliseconds timeout);
  const std::string& received() const { return received_; }
  /// The status code of the HTTP response received so far (0 if none).
  int response_status() const;

 private:
  // Reads what is there (waiting at most `wait`); true once the peer has closed.
  bool drain(std::chrono::milliseconds wait);

  int fd_ = -1;
  bool peer_closed_ = false;
  std::string received_;
};

}  // namespace intake::testing
