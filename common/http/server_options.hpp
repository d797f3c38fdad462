#pragma once
// Settings of the HTTP server; each mirrors an [http] config key (common/config/core_keys.cpp).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace intake::http {

struct server_options {
  /// host:port; "[::1]:0" for IPv6; port 0 picks a free port (see server::port()).
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  std::uint64_t header_limit = 16384;
  /// Body limit of routes that do not set their own.
  std::uint64_t body_limit = 1 << 20;
  /// From the first byte of a request to its last (headers and body).
  std::chrono::milliseconds read_timeout{15000};
  std::chrono::milliseconds write_timeout{15000};
  /// How long a keep-alive connection may wait for the first byte of its next request.
  std::chrono::milliseconds idle_timeout{60000};
  /// How long shutdown() lets requests in flight finish before closing their connections.
  std::chrono::milliseconds shutdown_grace{10000};
  std::size_t max_connections = 4096;
  /// Retry-After of the server's own 503 answers.
  std::chrono::seconds retry_after{5};
};

}  // namespace intake::http
