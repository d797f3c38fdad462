#pragma once
// One HTTP/1.1 connection, after the Beast advanced_server session: it owns its stream, buffer,
// parser and response, and pending operations keep it alive through shared_from_this(). While a
// handler works on a request no operation is pending, so the session holds itself (self_hold_)
// until the response arrives or the connection is closed.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/core/error.hpp"
#include "common/http/router.hpp"
#include "common/http/server_state.hpp"
#include "common/http/types.hpp"

namespace intake::http::detail {

class session : public std::enable_shared_from_this<session> {
 public:
  /// `socket` must run on its own strand (accepted with make_strand).
  session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<server_state> state,
          std::uint64_t id);
  ~session();

  session(const session&) = delete;
  session& operator=(const session&) = delete;

  /// Starts serving (any thread).
  void run();
  /// Finishes the request in flight, then closes; an idle connection closes now (any thread).
  void begin_shutdown();
  /// Closes now, dropping whatever is in flight (any thread).
  void force_close();
  /// Closes without the strand: only once the server's threads have been joined.
  void abandon();
  /// The handler's response, from any thread; ignored unless a handler is working.
  void deliver(response res);

 private:
  enum class phase { idle, reading, handling, writing, lingering, closed };

  void do_wait_request();
  void on_first_bytes(boost::beast::error_code ec, std::size_t n);
  void start_request();
  void do_read_header();
  void on_read_header(boost::beast::error_code ec, std::size_t n);
  void route_request();
  void do_write_continue();
  void on_write_continue(boost::beast::error_code ec, std::size_t n);
  void do_read_body();
  void on_read_body(boost::beast::error_code ec, std::size_t n);
  void dispatch();
  void on_response(response res);
  void fail_read(boost::beast::error_code ec);
  void fail_request(core::error err, bool unread_input);
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t n);
  void do_linger();
  void on_linger(boost::beast::error_code ec, std::size_t n);
  void do_close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  response res_;

  std::shared_ptr<server_state> state_;
  std::uint64_t id_;
  std::string remote_address_;
  std::shared_ptr<session> self_hold_;

  phase phase_ = phase::idle;
  bool shutting_down_ = false;
  // Per request:
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_request_ = false;
  bool close_after_write_ = false;
  bool linger_after_write_ = false;  // the client may still be sending: drain before closing
  const route* route_ = nullptr;
  std::string route_name_;
  std::map<std::string, std::string> params_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point read_deadline_;
};

}  // namespace intake::http::detail
