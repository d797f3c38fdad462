#include "common/http/server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <future>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/core/metrics.hpp"
#include "common/http/responses.hpp"
#include "common/http/router.hpp"

namespace intake::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
using steady_clock = std::chrono::steady_clock;

// A blocking test client built on Beast's async operations, so every step has a deadline and a
// server bug fails the test instead of hanging it.
class client {
 public:
  client() = default;
  /// Connects to 127.0.0.1:port, failing the test if it cannot.
  explicit client(std::uint16_t port) { EXPECT_FALSE(connect("127.0.0.1", port)); }

  beast::error_code connect(const std::string& host, std::uint16_t port) {
    beast::error_code result;
    tcp::endpoint ep(net::ip::make_address(host), port);
    stream_.expires_after(2s);
    stream_.async_connect(ep, [&](beast::error_code ec) { result = ec; });
    run();
    return result;
  }

  beast::error_code write(std::string data) {
    beast::error_code result;
    auto owned = std::make_shared<std::string>(std::move(data));
    stream_.expires_after(2s);
    net::async_write(stream_, net::buffer(*owned),
                     [&, owned](beast::error_code ec, std::size_t) { result = ec; });
    run();
    return result;
  }

  /// Reads one response; `ec` is set when none arrives (closed, reset, timeout).
  bhttp::response<bhttp::string_body> read(beast::error_code& ec, bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    parser.skip(head);  // an answer to HEAD has a Content-Length but no body
    stream_.expires_after(2s);
    bhttp::async_read(stream_, buffer_, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    return parser.release();
  }

  bhttp::response<bhttp::string_body> request(const std::string& raw) {
    EXPECT_FALSE(write(raw));
    beast::error_code ec;
    auto res = read(ec);
    EXPECT_FALSE(ec) << ec.message();
    return res;
  }

  /// Waits for the server to close the connection; returns how long that took.
  std::chrono::milliseconds wait_closed(beast::error_code& ec) {
    auto start = steady_clock::now();
    char byte;
    stream_.expires_after(3s);
    stream_.async_read_some(net::buffer(&byte, 1),
                            [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    return std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - start);
  }

 private:
  void run() {
    ioc_.restart();
    ioc_.run();
  }

  net::io_context ioc_;
  beast::tcp_stream stream_{ioc_};
  beast::flat_buffer buffer_;
};

std::string get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: t\r\n" + extra + "\r\n";
}

std::string post(const std::string& target, const std::string& body,
                 const std::string& extra = "") {
  return "POST " + target +
         " HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra +
         "\r\n" + body;
}

bool is_closed_error(beast::error_code ec) {
  return ec == net::error::eof || ec == bhttp::error::end_of_stream ||
         ec == net::error::connection_reset || ec == bhttp::error::partial_message;
}

class server_test : public ::testing::Test {
 protected:
  static server_options test_options() {
    server_options o;
    o.listen = "127.0.0.1:0";
    o.threads = 2;
    o.read_timeout = 1000ms;
    o.write_timeout = 1000ms;
    o.idle_timeout = 5000ms;
    o.shutdown_grace = 1000ms;
    return o;
  }

  void SetUp() override {
    auto ok = [](request&&, request_context&&, respond_fn respond) {
      respond(make_json_response(bhttp::status::ok, R"({"ok":true})"));
    };
    routes_.add({{bhttp::verb::get, bhttp::verb::head}, "/now", "now", 0, ok});
    routes_.add({{bhttp::verb::post},
                 "/echo",
                 "echo",
                 1024,
                 [this](request&& req, request_context&& ctx, respond_fn respond) {
                   ++echo_calls_;
                   remote_address_ = ctx.remote_address;
                   respond(make_json_response(bhttp::status::ok, req.body()));
                 }});
    routes_.add({{bhttp::verb::get},
                 "/q/{token}",
                 "qrcode",
                 0,
                 [](request&&, request_context&& ctx, respond_fn respond) {
                   respond(make_json_response(bhttp::status::ok, ctx.params["token"]));
                 }});
    routes_.add({{bhttp::verb::get},
                 "/later",
                 "later",
                 0,
                 [this](request&&, request_context&&, respond_fn respond) {
                   defer(50ms, std::move(respond));
                 }});
    routes_.add({{bhttp::verb::get},
                 "/slow",
                 "slow",
                 0,
                 [this](request&&, request_context&&, respond_fn respond) {
                   slow_entered_.set_value();
                   defer(200ms, std::move(respond));
                 }});
    routes_.add({{bhttp::verb::get},
                 "/throws",
                 "throws",
                 0,
                 [](request&&, request_context&&, respond_fn) -> void {
                   throw std::runtime_error("handler bug");
                 }});
    routes_.add(
        {{bhttp::verb::get}, "/drops", "drops", 0, [](request&&, request_context&&, respond_fn) {
         }});
    routes_.add({{bhttp::verb::get},
                 "/keeps",
                 "keeps",
                 0,
                 [this](request&&, request_context&&, respond_fn respond) {
                   std::lock_guard lock(mutex_);
                   kept_ = std::move(respond);
                   kept_entered_.set_value();
                 }});
  }

  void TearDown() override {
    if (server_) server_->shutdown();
    std::lock_guard lock(mutex_);
    for (auto& t : helpers_) t.join();
  }

  void start(server_options o = test_options()) {
    server_ = std::make_unique<server>(std::move(o), routes_, metrics_);
    server_->start();
    ASSERT_NE(server_->port(), 0);
  }

  // Answers from another thread, as the durable-commit thread does.
  void defer(std::chrono::milliseconds delay, respond_fn respond) {
    std::lock_guard lock(mutex_);
    helpers_.emplace_back([delay, respond = std::move(respond)] {
      std::this_thread::sleep_for(delay);
      respond(make_json_response(bhttp::status::ok, R"({"deferred":true})"));
    });
  }

  std::uint64_t requests(const std::string& route, const std::string& status) {
    return metrics_.counter_value("intake_http_requests_total",
                                  {{"route", route}, {"status", status}});
  }

  core::metrics metrics_;
  router routes_;
  std::unique_ptr<server> server_;
  std::atomic<int> echo_calls_{0};
  std::string remote_address_;
  std::promise<void> slow_entered_;
  std::promise<void> kept_entered_;
  std::mutex mutex_;
  respond_fn kept_;
  std::vector<std::thread> helpers_;
};

TEST_F(server_test, keep_alive_serves_three_requests_on_one_connection) {
  start();
  client c(server_->port());
  for (int i = 0; i < 3; ++i) {
    auto res = c.request(get("/now"));
    EXPECT_EQ(res.result(), bhttp::status::ok);
    EXPECT_TRUE(res.keep_alive());
    EXPECT_EQ(res.body(), R"({"ok":true})");
    EXPECT_EQ(res[bhttp::field::content_type], "application/json; charset=utf-8");
  }
  EXPECT_EQ(requests("now", "200"), 3u);
  EXPECT_NE(metrics_.render_prometheus().find("intake_http_connections 1\n"), std::string::npos);
}

TEST_F(server_test, head_gets_headers_only) {
  start();
  client c(server_->port());
  ASSERT_FALSE(c.write("HEAD /now HTTP/1.1\r\nHost: t\r\n\r\n"));
  beast::error_code ec;
  auto head = c.read(ec, true);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(head.result(), bhttp::status::ok);
  EXPECT_EQ(head[bhttp::field::content_length], "11");
  EXPECT_EQ(head.body(), "");
  // Had a body been sent, it would now be read as the next response.
  EXPECT_EQ(c.request(get("/now")).body(), R"({"ok":true})");

  ASSERT_FALSE(c.write("HEAD /nope HTTP/1.1\r\nHost: t\r\n\r\n"));  // the server's own answers too
  auto missing = c.read(ec, true);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(missing.result(), bhttp::status::not_found);
  EXPECT_EQ(missing.body(), "");
  EXPECT_EQ(c.request(get("/now")).body(), R"({"ok":true})");
}

TEST_F(server_test, pipelined_requests_are_answered_in_order) {
  start();
  client c(server_->port());
  ASSERT_FALSE(c.write(get("/q/first") + get("/q/second")));
  beast::error_code ec;
  EXPECT_EQ(c.read(ec).body(), "first");
  EXPECT_EQ(c.read(ec).body(), "second");
  EXPECT_FALSE(ec);
}

TEST_F(server_test, http10_closes_unless_keep_alive_is_asked) {
  start();
  {
    client c(server_->port());
    auto res = c.request("GET /now HTTP/1.0\r\n\r\n");
    EXPECT_EQ(res.version(), 10u);
    EXPECT_FALSE(res.keep_alive());
    beast::error_code ec;
    c.wait_closed(ec);
    EXPECT_TRUE(is_closed_error(ec)) << ec.message();
  }
  client c(server_->port());
  for (int i = 0; i < 2; ++i) {
    auto res = c.request("GET /now HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    EXPECT_EQ(res.result(), bhttp::status::ok);
    EXPECT_TRUE(res.keep_alive());
  }
}

TEST_F(server_test, body_and_context_reach_the_handler) {
  start();
  client c(server_->port());
  auto res = c.request(post("/echo", R"({"description":"路灯不亮"})"));
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), R"({"description":"路灯不亮"})");
  EXPECT_EQ(remote_address_, "127.0.0.1");
}

TEST_F(server_test, oversize_body_is_413_and_handler_is_not_called) {
  start();
  struct row {
    std::string name;
    std::string raw;
  };
  const std::string big(2048, 'x');
  const std::vector<row> rows = {
      {"content_length", post("/echo", big)},
      {"chunked", "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
                      big + "\r\n0\r\n\r\n"},
      {"expect_continue",
       "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2048\r\n"
       "Expect: 100-continue\r\n\r\n"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    client c(server_->port());
    auto res = c.request(row.raw);
    EXPECT_EQ(res.result(), bhttp::status::payload_too_large);
    EXPECT_NE(res.body().find(R"("error":"payload_too_large")"), std::string::npos);
    EXPECT_FALSE(res.keep_alive());
  }
  EXPECT_EQ(echo_calls_, 0);
  EXPECT_EQ(requests("echo", "413"), 3u);

  client c(server_->port());  // a body within the route's limit still passes
  EXPECT_EQ(c.request(post("/echo", std::string(1024, 'y'))).result(), bhttp::status::ok);
  EXPECT_EQ(echo_calls_, 1);
}

TEST_F(server_test, expect_100_continue) {
  start();
  client c(server_->port());
  ASSERT_FALSE(c.write(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  beast::error_code ec;
  auto interim = c.read(ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(interim.result(), bhttp::status::continue_);
  ASSERT_FALSE(c.write("hello"));
  auto res = c.read(ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), "hello");
}

TEST_F(server_test, huge_header_is_rejected) {
  start();
  client c(server_->port());
  auto res = c.request(get("/now", "X-Big: " + std::string(64 * 1024, 'a') + "\r\n"));
  EXPECT_EQ(res.result(), bhttp::status::request_header_fields_too_large);
  EXPECT_NE(res.body().find(R"("error":"header_too_large")"), std::string::npos);
  EXPECT_FALSE(res.keep_alive());
}

TEST_F(server_test, malformed_request_is_400_and_closed) {
  start();
  client c(server_->port());
  auto res = c.request("GET /now HTTP/1.1\r\nBad Header\r\n\r\n");
  EXPECT_EQ(res.result(), bhttp::status::bad_request);
  EXPECT_NE(res.body().find(R"("error":"bad_request")"), std::string::npos);
  beast::error_code ec;
  c.wait_closed(ec);
  EXPECT_TRUE(is_closed_error(ec)) << ec.message();
}

TEST_F(server_test, unknown_path_and_method_are_json_errors) {
  start();
  client c(server_->port());
  auto missing = c.request(get("/nope"));
  EXPECT_EQ(missing.result(), bhttp::status::not_found);
  EXPECT_EQ(missing.body().rfind(R"({"error":"not_found","message":")", 0), 0u) << missing.body();
  EXPECT_TRUE(missing.keep_alive());  // no body followed, so the connection stays usable

  auto wrong = c.request(post("/now", ""));
  EXPECT_EQ(wrong.result(), bhttp::status::method_not_allowed);
  EXPECT_EQ(wrong[bhttp::field::allow], "GET, HEAD");
  EXPECT_EQ(wrong.body().rfind(R"({"error":"method_not_allowed","message":")", 0), 0u);

  auto with_body = c.request(post("/nope", "abc"));  // unread body: answered, then closed
  EXPECT_EQ(with_body.result(), bhttp::status::not_found);
  EXPECT_FALSE(with_body.keep_alive());
  EXPECT_EQ(requests("unmatched", "404"), 2u);
  EXPECT_EQ(requests("unmatched", "405"), 1u);
}

TEST_F(server_test, slow_client_is_cut_after_read_timeout) {
  auto o = test_options();
  o.read_timeout = 300ms;
  start(o);
  const std::vector<std::string> partial = {
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc",  // half a body
      "GET /now HTTP/1.1\r\nHos",                                         // half a header
  };
  for (const auto& raw : partial) {
    client c(server_->port());
    ASSERT_FALSE(c.write(raw));
    beast::error_code ec;
    auto took = c.wait_closed(ec);
    EXPECT_TRUE(is_closed_error(ec)) << ec.message();
    EXPECT_GE(took, 250ms);
    EXPECT_LT(took, 1500ms);
  }
  EXPECT_EQ(echo_calls_, 0);
}

TEST_F(server_test, idle_connection_is_closed_after_idle_timeout) {
  auto o = test_options();
  o.idle_timeout = 300ms;
  start(o);
  client c(server_->port());
  EXPECT_EQ(c.request(get("/now")).result(), bhttp::status::ok);
  beast::error_code ec;
  auto took = c.wait_closed(ec);
  EXPECT_TRUE(is_closed_error(ec)) << ec.message();
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 1500ms);
}

TEST_F(server_test, deferred_response_from_another_thread) {
  start();
  client c(server_->port());
  auto before = steady_clock::now();
  auto res = c.request(get("/later"));
  EXPECT_GE(steady_clock::now() - before, 50ms);
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), R"({"deferred":true})");
  EXPECT_EQ(c.request(get("/now")).result(), bhttp::status::ok);  // connection still usable
}

TEST_F(server_test, throwing_or_forgetful_handlers_get_500) {
  start();
  for (const std::string target : {"/throws", "/drops"}) {
    client c(server_->port());
    auto res = c.request(get(target));
    EXPECT_EQ(res.result(), bhttp::status::internal_server_error) << target;
    EXPECT_NE(res.body().find(R"("error":"internal")"), std::string::npos);
  }
}

TEST_F(server_test, graceful_shutdown_finishes_the_request_in_flight) {
  start();
  auto port = server_->port();
  client idle(server_->port());  // an idle keep-alive connection is closed at once
  EXPECT_EQ(idle.request(get("/now")).result(), bhttp::status::ok);

  auto in_flight = std::async(std::launch::async, [port] {
    client c;
    EXPECT_FALSE(c.connect("127.0.0.1", port));
    return c.request(get("/slow"));
  });
  slow_entered_.get_future().wait();
  auto before = steady_clock::now();
  server_->shutdown();
  auto took = steady_clock::now() - before;

  auto res = in_flight.get();
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), R"({"deferred":true})");
  EXPECT_FALSE(res.keep_alive());
  EXPECT_LT(took, 900ms);  // did not wait for the idle connection or the whole grace

  beast::error_code ec;
  idle.wait_closed(ec);
  EXPECT_TRUE(is_closed_error(ec)) << ec.message();

  client late;
  EXPECT_EQ(late.connect("127.0.0.1", port), net::error::connection_refused);
}

TEST_F(server_test, request_completed_during_shutdown_gets_503) {
  start();
  client c(server_->port());
  ASSERT_FALSE(c.write("GET /now HTTP/1.1\r\nHo"));  // begun before the shutdown
  std::this_thread::sleep_for(50ms);                 // let the server read it
  auto stopping = std::async(std::launch::async, [this] { server_->shutdown(); });
  std::this_thread::sleep_for(50ms);
  ASSERT_FALSE(c.write("st: t\r\n\r\n"));
  beast::error_code ec;
  auto res = c.read(ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result(), bhttp::status::service_unavailable);
  EXPECT_EQ(res[bhttp::field::retry_after], "5");
  EXPECT_NE(res.body().find(R"("error":"shutting_down")"), std::string::npos);
  EXPECT_FALSE(res.keep_alive());
  stopping.get();
}

TEST_F(server_test, handler_statuses_without_body_are_safe) {
  routes_.add({{bhttp::verb::get},
               "/empty",
               "empty",
               0,
               [](request&&, request_context&&, respond_fn respond) {
                 response res{bhttp::status::no_content, 11};
                 res.body() = "not allowed here";  // the server drops it
                 respond(std::move(res));
               }});
  routes_.add({{bhttp::verb::get},
               "/interim",
               "interim",
               0,
               [](request&&, request_context&&, respond_fn respond) {
                 respond(make_json_response(bhttp::status::continue_, ""));
               }});
  start();
  client c(server_->port());
  auto empty = c.request(get("/empty"));
  EXPECT_EQ(empty.result(), bhttp::status::no_content);
  EXPECT_EQ(empty.body(), "");
  EXPECT_EQ(c.request(get("/interim")).result(), bhttp::status::internal_server_error);
}

TEST_F(server_test, respond_after_shutdown_is_harmless) {
  auto o = test_options();
  o.shutdown_grace = 100ms;
  start(o);
  auto port = server_->port();
  auto waiting = std::async(std::launch::async, [port] {
    client c;
    EXPECT_FALSE(c.connect("127.0.0.1", port));
    EXPECT_FALSE(c.write(get("/keeps")));
    beast::error_code ec;
    c.read(ec);
    return ec;
  });
  kept_entered_.get_future().wait();
  server_->shutdown();  // the grace passes; the connection is closed unanswered
  EXPECT_TRUE(is_closed_error(waiting.get()));

  std::lock_guard lock(mutex_);
  kept_(make_json_response(bhttp::status::ok, "{}"));  // server stopped: a no-op
  server_.reset();
  kept_(make_json_response(bhttp::status::ok, "{}"));  // server gone: still a no-op
  kept_ = nullptr;
}

TEST_F(server_test, at_the_limit_the_longest_idle_connection_gives_way) {
  auto o = test_options();
  o.max_connections = 2;
  start(o);
  client oldest(server_->port());
  EXPECT_EQ(oldest.request(get("/now")).result(), bhttp::status::ok);
  client newer(server_->port());
  EXPECT_EQ(newer.request(get("/now")).result(), bhttp::status::ok);

  // Both wait for their next request; a third connection takes the place of one of them (the
  // one the server saw go idle first, normally the oldest, but on a loaded machine the
  // server may finish writing the second answer first).
  client third(server_->port());
  EXPECT_EQ(third.request(get("/now")).result(), bhttp::status::ok);
  EXPECT_EQ(metrics_.counter_value("intake_http_evicted_connections_total"), 1u);
  EXPECT_EQ(metrics_.counter_value("intake_http_rejected_connections_total"), 0u);
  beast::error_code ec;
  const bool newer_kept =
      !newer.write(get("/now")) && newer.read(ec).result() == bhttp::status::ok && !ec;
  client& closed = newer_kept ? oldest : newer;
  closed.wait_closed(ec);
  EXPECT_TRUE(is_closed_error(ec)) << ec.message();
  if (!newer_kept) EXPECT_EQ(oldest.request(get("/now")).result(), bhttp::status::ok);
}

TEST_F(server_test, connections_over_the_limit_are_closed_at_accept_while_all_are_busy) {
  auto o = test_options();
  o.max_connections = 1;
  start(o);
  client first(server_->port());
  // Half a request: the connection is busy reading it, so it cannot give way.
  ASSERT_FALSE(first.write("GET /now HTTP/1.1\r\nHos"));

  client second(server_->port());
  beast::error_code ec;
  second.wait_closed(ec);
  EXPECT_TRUE(is_closed_error(ec)) << ec.message();
  EXPECT_EQ(metrics_.counter_value("intake_http_rejected_connections_total"), 1u);
  EXPECT_EQ(metrics_.counter_value("intake_http_evicted_connections_total"), 0u);
  ASSERT_FALSE(first.write("t: t\r\n\r\n"));
  beast::error_code read_ec;
  EXPECT_EQ(first.read(read_ec).result(), bhttp::status::ok);
  EXPECT_FALSE(read_ec) << read_ec.message();
}

TEST_F(server_test, metrics_are_recorded_and_rendered) {
  start();
  client c(server_->port());
  c.request(get("/now"));
  c.request(get("/now"));
  c.request(get("/nope"));
  EXPECT_EQ(requests("now", "200"), 2u);
  EXPECT_EQ(requests("unmatched", "404"), 1u);

  auto text = metrics_.render_prometheus();
  for (const std::string line : {
           "# HELP intake_http_requests_total ",
           "# TYPE intake_http_requests_total counter\n",
           "intake_http_requests_total{route=\"now\",status=\"200\"} 2\n",
           "# TYPE intake_http_request_duration_seconds histogram\n",
           "intake_http_request_duration_seconds_bucket{route=\"now\",le=\"+Inf\"} 2\n",
           "intake_http_request_duration_seconds_count{route=\"now\"} 2\n",
           "# TYPE intake_http_connections gauge\n",
           "# TYPE intake_http_rejected_connections_total counter\n",
           "intake_http_rejected_connections_total 0\n",
           "# TYPE intake_http_evicted_connections_total counter\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
}

TEST_F(server_test, listens_on_ipv6) {
  auto o = test_options();
  o.listen = "[::1]:0";
  start(o);
  client c;
  ASSERT_FALSE(c.connect("::1", server_->port()));
  EXPECT_EQ(c.request(get("/now")).result(), bhttp::status::ok);
}

TEST_F(server_test, bad_listen_addresses_throw_at_start) {
  start();
  const std::vector<std::string> bad = {
      "127.0.0.1",                                     // no port
      "127.0.0.1:99999",                               // port out of range
      "::1:80",                                        // IPv6 without brackets
      "[::1]80",                                       // missing colon
      "192.0.2.1:0",                                   // not an address of this host
      "127.0.0.1:" + std::to_string(server_->port()),  // in use
  };
  for (const auto& listen : bad) {
    auto o = test_options();
    o.listen = listen;
    server s(o, routes_, metrics_);
    try {
      s.start();
      ADD_FAILURE() << listen << " started";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(listen), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace intake::http
