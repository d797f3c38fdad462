#pragma once
// The vocabulary shared by the server, the router and every HTTP handler.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <map>
#include <string>

namespace intake::http {

using request = boost::beast::http::request<boost::beast::http::string_body>;
using response = boost::beast::http::response<boost::beast::http::string_body>;

/// What the server knows about a request beyond the message itself.
struct request_context {
  std::string remote_address;                 // peer IP address, without the port
  std::map<std::string, std::string> params;  // path parameters, e.g. {token} of "/q/{token}"
};

/// Sends the response of one request. A handler calls it exactly once, possibly later and from
/// another thread (e.g. after the outbox's fsync). Calling it after the connection has gone, or
/// after the server has shut down, does nothing; further calls are ignored. Dropping it without
/// calling answers 500, so a forgotten path cannot hang the connection. The server sets the
/// version, keep-alive and Content-Length; a handler may set `Connection: close` to end the
/// connection after this response.
using respond_fn = std::function<void(response)>;

/// Serves one routed request. Must not throw (a throw is answered 500 and logged).
using handler = std::function<void(request&&, request_context&&, respond_fn)>;

}  // namespace intake::http
