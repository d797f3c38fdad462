#include "channels/email/imap_connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>

namespace intake::channels::email {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

namespace {

// A connection that idles for half an hour must notice a peer that vanished (a NAT box that
// forgot it, a server that rebooted) long before the next IDLE renewal, and keep the NAT
// mapping alive meanwhile.
constexpr int keepalive_idle_seconds = 60;
constexpr int keepalive_interval_seconds = 20;
constexpr int keepalive_probes = 3;

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  const int n = std::stoi(std::string(port));
  return n >= 1 && n <= 65535;
}

}  // namespace

core::result<imap_address> parse_imap_url(std::string_view url) {
  imap_address out;
  if (url.rfind("imaps://", 0) == 0) {
    out.implicit_tls = true;
    url.remove_prefix(8);
  } else if (url.rfind("imap://", 0) == 0) {
    url.remove_prefix(7);
  } else {
    return core::fail(core::errc::bad_request, "imap_url: not imap:// or imaps://");
  }
  out.port = out.implicit_tls ? "993" : "143";
  auto authority = url.substr(0, url.find('/'));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return core::fail(core::errc::bad_request, "imap_url: unclosed [");
    out.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return core::fail(core::errc::bad_request, "imap_url: bad port");
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (out.host.empty()) return core::fail(core::errc::bad_request, "imap_url: no host");
  if (!port.empty() || authority.find(':') != std::string_view::npos) {
    if (!valid_port(port)) return core::fail(core::errc::bad_request, "imap_url: bad port");
    out.port = std::string(port);
  }
  return out;
}

imap_connection::imap_connection(const std::string& ca_file)
    : tls_context_(asio::ssl::context::tls_client) {
  error_code ec;
  tls_context_.set_verify_mode(asio::ssl::verify_peer, ec);
  if (!ec) {
    if (ca_file.empty()) {
      tls_context_.set_default_verify_paths(ec);
    } else {
      tls_context_.load_verify_file(ca_file, ec);
    }
  }
  if (ec) tls_setup_error_ = "imap: cannot load the trusted certificates: " + ec.message();
  ::SSL_CTX_set_min_proto_version(tls_context_.native_handle(), TLS1_2_VERSION);
}

imap_connection::~imap_connection() {
  close();
}

void imap_connection::abort() {
  aborted_ = true;
  // Wakes a wait in progress (the handler does nothing; the waiting loop sees the flag).
  asio::post(io_, [] {});
}

template <class Done>
imap_connection::wait_end imap_connection::wait(Done&& done, clock::time_point deadline) {
  io_.restart();
  while (!done()) {
    if (aborted_) return wait_end::aborted;
    if (clock::now() >= deadline) return wait_end::deadline;
    if (io_.run_one_until(deadline) == 0 && io_.stopped() && !done()) {
      // Nothing left that could finish the wait: only the deadline can end it.
      return wait_end::deadline;
    }
  }
  return wait_end::done;
}

template <class Start>
error_code imap_connection::run(Start&& start, clock::time_point deadline) {
  error_code result = asio::error::would_block;
  bool finished = false;
  start([&result, &finished](const error_code& ec) {
    result = ec;
    finished = true;
  });
  const auto end = wait([&finished] { return finished; }, deadline);
  if (end == wait_end::done) return result;
  // The handler refers to this frame: close() lets it run (cancelled) before we return.
  close();
  return end == wait_end::aborted ? error_code(asio::error::operation_aborted)
                                  : error_code(asio::error::timed_out);
}

core::error imap_connection::failure(std::string_view what, const error_code& ec) const {
  if (ec == asio::error::timed_out)
    return {core::errc::request_timeout, std::string(what) + ": timed out"};
  if (ec == asio::error::operation_aborted && aborted_)
    return {core::errc::internal, std::string(what) + ": stopped"};
  if (ec == asio::error::eof)
    return {core::errc::internal, std::string(what) + ": connection closed by the server"};
  return {core::errc::internal, std::string(what) + ": " + ec.message()};
}

core::result<void> imap_connection::open(const imap_address& address, clock::time_point deadline) {
  close();
  if (aborted_) return core::fail(core::errc::internal, "imap: stopped");
  tcp::resolver resolver(io_);
  tcp::resolver::results_type endpoints;
  resolving_ = &resolver;
  auto ec = run(
      [&](auto done) {
        resolver.async_resolve(
            address.host, address.port,
            [&endpoints, done](const error_code& e, tcp::resolver::results_type r) {
              endpoints = std::move(r);
              done(e);
            });
      },
      deadline);
  resolving_ = nullptr;
  if (ec) return tl::unexpected(failure("imap name lookup", ec));

  stream_.emplace(io_, tls_context_);
  ec = run(
      [&](auto done) {
        asio::async_connect(stream_->next_layer(), endpoints,
                            [done](const error_code& e, const tcp::endpoint&) { done(e); });
      },
      deadline);
  if (ec) return tl::unexpected(failure("imap connect", ec));
  auto& socket = stream_->next_layer();
  socket.set_option(tcp::socket::keep_alive(true), ec);
  const int fd = socket.native_handle();
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &keepalive_idle_seconds, sizeof(int));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &keepalive_interval_seconds, sizeof(int));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &keepalive_probes, sizeof(int));
  host_ = address.host;
  if (address.implicit_tls) return handshake(deadline);
  return {};
}

core::result<void> imap_connection::handshake(clock::time_point deadline) {
  if (!tls_setup_error_.empty()) {
    close();
    return core::fail(core::errc::internal, tls_setup_error_);
  }
  error_code not_address;
  asio::ip::make_address(host_, not_address);
  // SNI for names only (RFC 6066 forbids addresses); the certificate must name the host or
  // the address we connected to, as libcurl requires for the poller.
  if (not_address) ::SSL_set_tlsext_host_name(stream_->native_handle(), host_.c_str());
  stream_->set_verify_mode(asio::ssl::verify_peer);
  stream_->set_verify_callback(asio::ssl::host_name_verification(host_));
  auto ec = run(
      [&](auto done) {
        stream_->async_handshake(asio::ssl::stream_base::client,
                                 [done](const error_code& e) { done(e); });
      },
      deadline);
  if (ec) {
    close();
    return tl::unexpected(failure("imap TLS handshake", ec));
  }
  tls_ = true;
  return {};
}

core::result<void> imap_connection::start_tls(clock::time_point deadline) {
  if (!stream_ || tls_) return core::fail(core::errc::internal, "imap STARTTLS: not possible now");
  // Whatever came in clear after the OK would be taken for protected data (a known STARTTLS
  // injection): refuse the connection instead.
  if (read_pending_ || reader_.buffered() > 0) {
    close();
    return core::fail(core::errc::internal, "imap STARTTLS: the server sent data after its OK");
  }
  return handshake(deadline);
}

core::result<void> imap_connection::write(std::string_view bytes, clock::time_point deadline) {
  if (!stream_) return core::fail(core::errc::internal, "imap: not connected");
  auto ec = run(
      [&](auto done) {
        auto handler = [done](const error_code& e, std::size_t) { done(e); };
        if (tls_) {
          asio::async_write(*stream_, asio::buffer(bytes.data(), bytes.size()), handler);
        } else {
          asio::async_write(stream_->next_layer(), asio::buffer(bytes.data(), bytes.size()),
                            handler);
        }
      },
      deadline);
  if (ec) {
    close();
    return tl::unexpected(failure("imap write", ec));
  }
  return {};
}

core::result<imap_response> imap_connection::read(clock::time_point deadline) {
  while (true) {
    if (read_done_) {
      read_done_ = false;
      if (read_error_) {
        auto e = failure("imap read", read_error_);
        close();
        return tl::unexpected(std::move(e));
      }
      reader_.feed(std::string_view(chunk_.data(), read_size_));
    }
    auto next = reader_.next();
    if (!next) {
      close();
      return tl::unexpected(next.error());
    }
    if (*next) return parse_response(**next);
    if (!stream_) return core::fail(core::errc::internal, "imap: not connected");
    if (!read_pending_) {
      read_pending_ = true;
      // Only members: a read that outlives this call (a deadline passed) finishes in a later
      // one, so that a timeout loses no bytes and leaves the TLS stream intact.
      auto handler = [this](const error_code& e, std::size_t n) {
        read_pending_ = false;
        read_done_ = true;
        read_error_ = e;
        read_size_ = n;
      };
      if (tls_) {
        stream_->async_read_some(asio::buffer(chunk_), handler);
      } else {
        stream_->next_layer().async_read_some(asio::buffer(chunk_), handler);
      }
    }
    const auto end = wait([this] { return read_done_; }, deadline);
    if (end == wait_end::deadline)
      return core::fail(core::errc::request_timeout, "imap: no response in time");
    if (end == wait_end::aborted) {
      close();
      return core::fail(core::errc::internal, "imap: stopped");
    }
  }
}

void imap_connection::close() {
  if (resolving_) resolving_->cancel();
  if (stream_) {
    error_code ignored;
    stream_->next_layer().close(ignored);
  }
  // Every handler still pending runs now, cancelled, while what it refers to still exists.
  io_.restart();
  io_.run();
  stream_.reset();
  tls_ = false;
  read_pending_ = false;
  read_done_ = false;
  reader_ = response_reader{};
}

}  // namespace intake::channels::email
