#pragma once
// The HTTP/1.1 server of the collector: listens, reads requests within limits and deadlines,
// hands them to the router's handlers and writes their (possibly deferred) responses.
// Boost.Asio stays out of this header so that users compile quickly.
#include <cstdint>
#include <memory>

#include "common/core/metrics.hpp"
#include "common/http/router.hpp"
#include "common/http/server_options.hpp"

namespace intake::http {

class server {
 public:
  /// `routes` and `metrics` must outlive the server; add every route before start().
  server(server_options options, router& routes, core::metrics& metrics);
  /// Shuts down (see shutdown()) if still running.
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Resolves, binds and listens on options.listen, then starts options.threads threads.
  /// Throws std::runtime_error with a readable message when the address cannot be used
  /// (startup only). Call at most once.
  void start();

  /// The bound port (useful with port 0); 0 before start().
  std::uint16_t port() const;

  /// Closes the listening socket: new connections are refused from when this returns (when
  /// called from outside the server's threads; from a handler it takes effect shortly after).
  void stop_accepting();

  /// Graceful stop: stops accepting, closes idle connections, lets requests in flight finish
  /// and their responses be written for up to options.shutdown_grace, then closes what is
  /// left and joins the threads. Later respond_fn calls do nothing. Call from outside the
  /// server's threads (from one of them it logs an error and does nothing); calling again does
  /// nothing.
  void shutdown();

 private:
  class impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace intake::http
