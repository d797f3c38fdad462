#pragma once
// The one place error answers are built: `{"error":"<code>","message":"..."}` with the status
// from core::http_status(), so every component answers errors alike.
#include <boost/beast/http/status.hpp>
#include <chrono>
#include <string>

#include "common/core/error.hpp"
#include "common/http/types.hpp"

namespace intake::http {

/// A JSON error answer. 503 and 429 answers carry `Retry-After: <retry_after>` (when > 0).
response make_error_response(const core::error& err, unsigned http_version, bool keep_alive,
                             std::chrono::seconds retry_after);

/// A JSON answer (HTTP/1.1, keep-alive; the server adjusts both to the request). The body is
/// dropped for statuses that have none (1xx, 204, 304).
response make_json_response(boost::beast::http::status status, std::string body);

}  // namespace intake::http
