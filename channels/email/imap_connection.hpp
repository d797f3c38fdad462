#pragma once
// One IMAP connection of the IDLE watcher, over Boost.Asio: TCP, then TLS from the first byte
// (imaps://) or after STARTTLS (imap://), with the certificate and the host name checked as
// libcurl checks them for the poller. Calls block the calling thread, each until its deadline at
// most (Asio's "blocking client with timeouts" pattern: the watcher's protocol is a plain
// sequence, so a thread of its own reads better than a chain of handlers). Owned and used by one
// thread; abort() alone may come from another.
#include <array>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include "channels/email/curl_handle.hpp"
#include "channels/email/imap_response.hpp"
#include "common/core/result.hpp"

namespace intake::channels::email {

/// Where an imap_url points: "imaps://mail.example.cn" → {mail.example.cn, 993, TLS}.
struct imap_address {
  std::string host;  // a name, or an address (IPv6 without its brackets)
  std::string port;
  bool implicit_tls = false;  // imaps://
};
/// errc::bad_request for what is not imap[s]://host[:port][/].
core::result<imap_address> parse_imap_url(std::string_view url);

class imap_connection {
 public:
  using clock = std::chrono::steady_clock;

  /// `ca_file` empty: the system's trust store.
  explicit imap_connection(const std::string& ca_file);
  ~imap_connection();
  imap_connection(const imap_connection&) = delete;
  imap_connection& operator=(const imap_connection&) = delete;

  /// Connects (closing any earlier connection) and, for imaps://, completes the TLS handshake.
  core::result<void> open(const imap_address& address, clock::time_point deadline);
  /// The TLS handshake on the open connection, after the server's OK to STARTTLS.
  core::result<void> start_tls(clock::time_point deadline);
  bool secure() const { return tls_; }

  core::result<void> write(std::string_view bytes, clock::time_point deadline);
  /// The next response. errc::request_timeout when none came before `deadline` (the connection
  /// stays usable); any other error leaves it unusable.
  core::result<imap_response> read(clock::time_point deadline);

  void close();
  /// From any thread: whatever the connection waits for ends at once, and so does every later
  /// call (shutdown).
  void abort();

 private:
  using tcp = boost::asio::ip::tcp;
  using tls_stream = boost::asio::ssl::stream<tcp::socket>;
  enum class wait_end { done, deadline, aborted };

  // Runs handlers until `done()`, the deadline or abort(), whichever comes first.
  template <class Done>
  wait_end wait(Done&& done, clock::time_point deadline);
  // Starts an operation (`start` gets the completion to call with its error) and waits for it;
  // past the deadline or on abort() the connection is closed, which ends the operation.
  // boost::asio::error::timed_out after a deadline.
  template <class Start>
  boost::system::error_code run(Start&& start, clock::time_point deadline);
  core::result<void> handshake(clock::time_point deadline);
  core::error failure(std::string_view what, const boost::system::error_code& ec) const;

  boost::asio::io_context io_;
  boost::asio::ssl::context tls_context_;
  std::string tls_setup_error_;         // a CA file that cannot be read: every handshake says so
  tcp::resolver* resolving_ = nullptr;  // the lookup in progress, cancelled by close()
  std::optional<tls_stream> stream_;
  std::string host_;
  bool tls_ = false;
  response_reader reader_;
  // One read at a time, kept across read() calls: a read that met its deadline goes on.
  std::array<char, 4096> chunk_{};
  bool read_pending_ = false;
  bool read_done_ = false;
  boost::system::error_code read_error_;
  std::size_t read_size_ = 0;
  std::atomic<bool> aborted_{false};
};

}  // namespace intake::channels::email
