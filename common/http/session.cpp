#include "common/http/session.hpp"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <limits>

#include "common/core/log.hpp"
#include "common/http/responses.hpp"

namespace intake::http::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using steady_clock = std::chrono::steady_clock;

namespace {

// Bytes asked of the socket while waiting for a request to begin.
constexpr std::size_t first_read_size = 4096;
// After an error answer the client may still be sending the request we refused; reading (and
// discarding) it for a moment before closing keeps the kernel from answering it with a reset
// that would destroy our answer in flight.
constexpr std::chrono::milliseconds max_linger{2000};

constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";

// Errors that only mean the peer or we closed the connection: nothing to answer, nothing to log.
bool is_disconnect(beast::error_code ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == net::error::eof || ec == net::error::operation_aborted ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == net::error::bad_descriptor || ec == net::error::not_connected;
}

// The shared half of a respond_fn: answers at most once, and answers 500 when the handler drops
// it unanswered, so the connection never hangs on a forgotten code path.
class reply_state {
 public:
  reply_state(std::weak_ptr<session> target, std::shared_ptr<server_state> state)
      : target_(std::move(target)), state_(std::move(state)) {}
  reply_state(const reply_state&) = delete;
  reply_state& operator=(const reply_state&) = delete;

  ~reply_state() {
    if (done_.exchange(true)) return;
    core::log::warn("http_handler_dropped_response");
    send(make_error_response(core::make_error(core::errc::internal, "the request was not answered"),
                             11, false, std::chrono::seconds(0)));
  }

  void respond(response res) {
    if (done_.exchange(true)) return;
    send(std::move(res));
  }

 private:
  void send(response res) {
    state_->through_gate([&] {
      if (auto s = target_.lock()) s->deliver(std::move(res));
    });
  }

  std::weak_ptr<session> target_;
  std::shared_ptr<server_state> state_;
  std::atomic<bool> done_{false};
};

bool expects_continue(const request& req) {
  return req.version() >= 11 &&
         beast::iequals(req[bhttp::field::expect], std::string_view("100-continue"));
}

}  // namespace

session::session(tcp::socket&& socket, std::shared_ptr<server_state> state, std::uint64_t id)
    : stream_(std::move(socket)), state_(std::move(state)), id_(id) {
  beast::error_code ec;
  auto peer = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_address_ = peer.address().to_string();
}

session::~session() {
  state_->remove(id_);
}

void session::run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&session::do_wait_request, shared_from_this()));
}

void session::begin_shutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->shutting_down_ = true;
    // Only a connection between requests (or draining a refused one) is closed now; the rest
    // finish the request in flight and then close, their responses going out with
    // Connection: close.
    if (self->phase_ == phase::idle || self->phase_ == phase::lingering) self->do_close();
  });
}

void session::force_close() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->do_close(); });
}

void session::abandon() {
  phase_ = phase::closed;
  self_hold_.reset();
  beast::error_code ec;
  stream_.socket().close(ec);
}

void session::deliver(response res) {
  net::post(stream_.get_executor(), [self = shared_from_this(), res = std::move(res)]() mutable {
    self->on_response(std::move(res));
  });
}

void session::do_wait_request() {
  if (shutting_down_) return do_close();
  phase_ = phase::idle;
  // A pipelined request may already be buffered.
  if (buffer_.size() > 0) return start_request();
  // An idle connection keeps only a first read's worth of buffer, not what its largest
  // request grew it to: thousands of idle keep-alive connections must stay cheap.
  if (buffer_.capacity() > first_read_size) buffer_.shrink_to_fit();
  state_->mark_idle(id_);
  stream_.expires_after(state_->options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(first_read_size),
                          beast::bind_front_handler(&session::on_first_bytes, shared_from_this()));
}

void session::on_first_bytes(beast::error_code ec, std::size_t n) {
  buffer_.commit(n);
  state_->mark_busy(id_);
  // Idle timeout, the client closing, or shutdown: no request has begun, so nothing to answer.
  if (ec || phase_ != phase::idle) return do_close();
  start_request();
}

void session::start_request() {
  phase_ = phase::reading;
  started_ = steady_clock::now();
  // One deadline for the whole request, headers and body, so a client cannot keep a
  // connection by trickling bytes.
  read_deadline_ = started_ + state_->options.read_timeout;
  version_ = 11;
  keep_alive_ = false;
  head_request_ = false;
  route_ = nullptr;
  route_name_ = "unmatched";
  params_.clear();
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<std::uint64_t>(state_->options.header_limit, UINT32_MAX)));
  // The body limit depends on the route, known only once the header is read, but Beast checks
  // Content-Length against it when the header completes: lift it until route_request() checks
  // Content-Length itself. Not boost::none: Beast 1.74 compares `len > none` as true.
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  do_read_header();
}

void session::do_read_header() {
  stream_.expires_at(read_deadline_);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&session::on_read_header, shared_from_this()));
}

void session::on_read_header(beast::error_code ec, std::size_t) {
  if (ec) return fail_read(ec);
  route_request();
}

void session::route_request() {
  const auto& req = parser_->get();
  version_ = req.version();
  keep_alive_ = req.keep_alive();
  head_request_ = req.method() == bhttp::verb::head;
  bool body_pending = !parser_->is_done();

  if (shutting_down_) {
    return fail_request(core::make_error(core::errc::shutting_down, "the server is shutting down"),
                        body_pending);
  }

  auto found = state_->routes.match(req.method(), req.target());
  if (!found) {
    // Answered without reading a body; if one follows, the connection cannot be reused.
    bool keep = keep_alive_ && !body_pending;
    auto res = make_error_response(found.error(), version_, keep, state_->options.retry_after);
    if (found.error().code == core::errc::method_not_allowed) {
      res.set(bhttp::field::allow, state_->routes.allow_header(req.target()));
    }
    res_ = std::move(res);
    close_after_write_ = !keep;
    linger_after_write_ = body_pending;
    return do_write();
  }

  route_ = found->matched;
  route_name_ = route_->name;
  params_ = std::move(found->params);
  std::uint64_t limit = route_->body_limit ? route_->body_limit : state_->options.body_limit;
  if (auto length = parser_->content_length(); length && *length > limit) {
    return fail_request(
        core::make_error(core::errc::payload_too_large,
                         "request body exceeds " + std::to_string(limit) + " bytes"),
        true);
  }
  parser_->body_limit(limit);  // chunked bodies are checked while they arrive

  if (!body_pending) return dispatch();
  if (expects_continue(req)) return do_write_continue();
  do_read_body();
}

void session::do_write_continue() {
  stream_.expires_after(state_->options.write_timeout);
  net::async_write(stream_, net::buffer(continue_line.data(), continue_line.size()),
                   beast::bind_front_handler(&session::on_write_continue, shared_from_this()));
}

void session::on_write_continue(beast::error_code ec, std::size_t) {
  if (ec) return do_close();
  do_read_body();
}

void session::do_read_body() {
  stream_.expires_at(read_deadline_);
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&session::on_read_body, shared_from_this()));
}

void session::on_read_body(beast::error_code ec, std::size_t) {
  if (ec) return fail_read(ec);
  dispatch();
}

void session::fail_read(beast::error_code ec) {
  if (phase_ != phase::reading) return do_close();  // closed meanwhile by shutdown
  if (ec == bhttp::error::header_limit) {
    return fail_request(
        core::make_error(core::errc::header_too_large, "request header block too large"), true);
  }
  if (ec == bhttp::error::body_limit) {
    return fail_request(core::make_error(core::errc::payload_too_large, "request body too large"),
                        true);
  }
  // The read deadline passed: tcp_stream has already closed the socket, so no 408 can be sent.
  if (ec == beast::error::timeout || is_disconnect(ec)) return do_close();
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return fail_request(core::make_error(core::errc::bad_request, "malformed HTTP request"), true);
  }
  core::log::debug("http_read_failed", {{"error", ec.message()}});
  do_close();
}

void session::fail_request(core::error err, bool unread_input) {
  res_ = make_error_response(err, version_, false, state_->options.retry_after);
  close_after_write_ = true;
  linger_after_write_ = unread_input;
  do_write();
}

void session::dispatch() {
  phase_ = phase::handling;
  request req = parser_->release();
  parser_.reset();
  request_context ctx{remote_address_, std::move(params_)};
  params_.clear();

  // No operation is pending while the handler works; the session keeps itself alive until
  // on_response or do_close. The respond_fn only holds a weak reference, so a respond_fn kept
  // elsewhere never prolongs a closed connection or outlives the io_context.
  self_hold_ = shared_from_this();
  auto reply = std::make_shared<reply_state>(weak_from_this(), state_);
  try {
    route_->fn(std::move(req), std::move(ctx),
               [reply](response res) { reply->respond(std::move(res)); });
  } catch (const std::exception& e) {
    // Handlers must not throw; catching here keeps one bug from taking down an io thread.
    core::log::error("http_handler_threw", {{"route", route_name_}, {"what", e.what()}});
    reply->respond(make_error_response(core::make_error(core::errc::internal, "internal error"),
                                       version_, false, std::chrono::seconds(0)));
  }
}

void session::on_response(response res) {
  if (phase_ != phase::handling) return;  // closed meanwhile
  // The posted handler that called us holds the session now.
  self_hold_.reset();
  // Beast throws on a body where none may be; the request path must not throw.
  if (bhttp::to_status_class(res.result()) == bhttp::status_class::informational) {
    core::log::error("http_handler_answered_1xx", {{"route", route_name_}});
    res = make_error_response(core::make_error(core::errc::internal, "internal error"), version_,
                              false, std::chrono::seconds(0));
  } else if (res.result() == bhttp::status::no_content ||
             res.result() == bhttp::status::not_modified) {
    res.body().clear();
  }
  bool keep = keep_alive_ && !shutting_down_ && res.keep_alive();
  res.version(version_);
  res.keep_alive(keep);
  res.prepare_payload();
  res_ = std::move(res);
  close_after_write_ = !keep;
  linger_after_write_ = false;
  do_write();
}

void session::do_write() {
  phase_ = phase::writing;
  // A HEAD answer carries the Content-Length of the GET answer but no body.
  if (head_request_) res_.body().clear();
  // Recorded before the write so that a client that has its answer also sees it counted; the
  // duration is therefore up to the response being ready, which is where the time goes.
  auto status = std::to_string(res_.result_int());
  state_->metrics.count(requests_metric, {{"route", route_name_}, {"status", status}});
  std::chrono::duration<double> took = steady_clock::now() - started_;
  state_->metrics.observe(duration_metric, {{"route", route_name_}}, took.count());

  stream_.expires_after(state_->options.write_timeout);
  bhttp::async_write(stream_, res_,
                     beast::bind_front_handler(&session::on_write, shared_from_this()));
}

void session::on_write(beast::error_code ec, std::size_t) {
  if (ec || phase_ != phase::writing) return do_close();
  if (close_after_write_) return linger_after_write_ ? do_linger() : do_close();
  res_ = {};
  do_wait_request();
}

void session::do_linger() {
  phase_ = phase::lingering;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return do_close();
  stream_.expires_after(
      std::min<std::chrono::milliseconds>(max_linger, state_->options.read_timeout));
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(first_read_size),
                          beast::bind_front_handler(&session::on_linger, shared_from_this()));
}

void session::on_linger(beast::error_code ec, std::size_t n) {
  if (ec || phase_ != phase::lingering) return do_close();
  buffer_.clear();
  // The deadline set in do_linger stays: tcp_stream keeps it across reads until reset.
  stream_.async_read_some(buffer_.prepare(first_read_size),
                          beast::bind_front_handler(&session::on_linger, shared_from_this()));
}

void session::do_close() {
  if (phase_ == phase::closed) return;
  phase_ = phase::closed;
  self_hold_.reset();
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

}  // namespace intake::http::detail
