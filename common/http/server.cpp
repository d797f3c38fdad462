#include "common/http/server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/core/log.hpp"
#include "common/http/server_state.hpp"
#include "common/http/session.hpp"

namespace intake::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

// Which server, if any, the current thread runs for: blocking on our own threads would hang.
thread_local const void* current_server = nullptr;

// After a failed accept (typically EMFILE) wait a little rather than spin on the error.
constexpr std::chrono::milliseconds accept_retry_delay{100};
// After the grace period, how long closed connections get to unwind before threads stop.
constexpr std::chrono::milliseconds force_close_wait{500};

struct host_port {
  std::string host;
  std::string port;
};

// "host:port" or "[v6-address]:port".
std::optional<host_port> split_listen(std::string_view s) {
  host_port out;
  if (!s.empty() && s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':') {
      return std::nullopt;
    }
    out.host = std::string(s.substr(1, close - 1));
    out.port = std::string(s.substr(close + 2));
  } else {
    auto colon = s.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    out.host = std::string(s.substr(0, colon));
    out.port = std::string(s.substr(colon + 1));
    if (out.host.find(':') != std::string::npos) return std::nullopt;  // bare IPv6: use [..]
  }
  if (out.host.empty() || out.port.empty() || out.port.size() > 5 ||
      !std::all_of(out.port.begin(), out.port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      std::stoul(out.port) > 65535) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

class server::impl {
 public:
  impl(server_options options, router& routes, core::metrics& metrics)
      : state_(std::make_shared<detail::server_state>(std::move(options), routes, metrics)),
        ioc_(std::max(1, state_->options.threads)),
        acceptor_(net::make_strand(ioc_)),
        accept_retry_(acceptor_.get_executor()) {
    metrics.describe(detail::requests_metric, "counter",
                     "HTTP requests answered, by route and status.");
    metrics.describe(detail::duration_metric, "histogram",
                     "Seconds from a request's first byte to its response written, by route.");
    metrics.describe(detail::connections_metric, "gauge", "Open HTTP connections.");
    metrics.describe(detail::rejected_metric, "counter",
                     "Connections closed at accept because http.max_connections were open, "
                     "all of them busy with a request.");
    metrics.describe(detail::evicted_metric, "counter",
                     "Idle connections closed to make room for a new one at "
                     "http.max_connections.");
    metrics.set_gauge(detail::connections_metric, {}, 0);
    metrics.count(detail::rejected_metric, {}, 0);
    metrics.count(detail::evicted_metric, {}, 0);
  }

  ~impl() { shutdown(); }

  void start() {
    if (started_) throw std::logic_error("http server started twice");
    const auto& listen = state_->options.listen;
    auto where = split_listen(listen);
    if (!where) {
      throw std::runtime_error("http.listen \"" + listen + "\": expected host:port or [ipv6]:port");
    }

    beast::error_code ec;
    tcp::resolver resolver(ioc_);
    auto endpoints = resolver.resolve(where->host, where->port,
                                      tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec) {
      throw std::runtime_error("http.listen \"" + listen + "\": cannot resolve \"" + where->host +
                               "\": " + ec.message());
    }

    beast::error_code last_error = net::error::host_not_found;
    for (const auto& entry : endpoints) {
      if (try_listen(entry.endpoint(), last_error)) {
        port_ = acceptor_.local_endpoint(ec).port();
        break;
      }
    }
    if (!acceptor_.is_open()) {
      throw std::runtime_error("http.listen \"" + listen +
                               "\": cannot listen: " + last_error.message());
    }

    started_ = true;
    do_accept();
    work_.emplace(ioc_.get_executor());
    int threads = std::max(1, state_->options.threads);
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this] {
        current_server = this;
        ioc_.run();
      });
    }
  }

  std::uint16_t port() const { return port_; }

  void stop_accepting() {
    if (!started_ || accept_stopped_.exchange(true)) return;
    auto done = std::make_shared<std::promise<void>>();
    auto closed = done->get_future();
    net::dispatch(acceptor_.get_executor(), [this, done] {
      beast::error_code ec;
      acceptor_.close(ec);
      accept_retry_.cancel();
      done->set_value();
    });
    if (current_server != this) closed.wait();
  }

  void shutdown() {
    if (current_server == this) {
      // A thread cannot join itself; refuse rather than throw from a handler.
      core::log::error("http_shutdown_from_server_thread");
      return;
    }
    if (!started_ || shut_down_.exchange(true)) return;
    stop_accepting();
    for (auto& s : state_->begin_shutdown()) s->begin_shutdown();

    auto grace_end = std::chrono::steady_clock::now() + state_->options.shutdown_grace;
    if (!state_->wait_until_empty(grace_end)) {
      core::log::warn("http_shutdown_grace_expired");
      for (auto& s : state_->snapshot()) s->force_close();
      state_->wait_until_empty(std::chrono::steady_clock::now() + force_close_wait);
    }

    work_.reset();
    ioc_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    // From here no thread runs the io_context: late respond_fn calls must not post to it, and
    // sessions still waiting for a handler are closed by hand.
    state_->close_gate();
    for (auto& s : state_->snapshot()) s->abandon();
  }

 private:
  bool try_listen(const tcp::endpoint& ep, beast::error_code& ec) {
    beast::error_code ignored;
    acceptor_.open(ep.protocol(), ec);
    if (ec) return false;
    // Lets a restarted collector bind while old connections linger in TIME_WAIT.
    acceptor_.set_option(net::socket_base::reuse_address(true), ignored);
    acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) acceptor_.close(ignored);
    return !ec;
  }

  void do_accept() {
    // Each connection gets its own strand: its handlers never run concurrently.
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&impl::on_accept, this));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      core::log::warn("http_accept_failed", {{"error", ec.message()}});
      accept_retry_.expires_after(accept_retry_delay);
      accept_retry_.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec && acceptor_.is_open()) do_accept();
      });
      return;
    }

    auto id = state_->next_id();
    auto s = std::make_shared<detail::session>(std::move(socket), state_, id);
    auto admission = state_->add(id, s);
    if (admission.evicted) admission.evicted->begin_shutdown();
    if (admission.admitted) {
      s->run();
    } else {
      // Dropping the session closes the socket at once.
      state_->metrics.count(detail::rejected_metric);
    }
    do_accept();
  }

  // Declared first so that it outlives the io_context: sessions destroyed with the
  // io_context's pending handlers still unregister from it.
  std::shared_ptr<detail::server_state> state_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer accept_retry_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::atomic<std::uint16_t> port_{0};
  std::atomic<bool> started_{false};
  std::atomic<bool> accept_stopped_{false};
  std::atomic<bool> shut_down_{false};
};

server::server(server_options options, router& routes, core::metrics& metrics)
    : impl_(std::make_unique<impl>(std::move(options), routes, metrics)) {}

server::~server() = default;

void server::start() {
  impl_->start();
}
std::uint16_t server::port() const {
  return impl_->port();
}
void server::stop_accepting() {
  impl_->stop_accepting();
}
void server::shutdown() {
  impl_->shutdown();
}

}  // namespace intake::http
