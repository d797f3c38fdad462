#pragma once
// Typed errors of the request path. Each code has a stable snake_case name (what clients and
// logs see) and one HTTP status, both defined in error.cpp and nowhere else.
#include <string>
#include <string_view>

namespace intake::core {

enum class errc {
  bad_request,             // 400: the request is not well formed
  malformed_json,          // 400
  invalid_utf8,            // 400
  unsupported_media_type,  // 415
  payload_too_large,       // 413
  header_too_large,        // 431: the request's header block is over http.header_limit
  missing_field,           // 422
  invalid_field,           // 422
  field_too_long,          // 422
  invalid_phone,           // 422
  invalid_email,           // 422
  unauthorized,            // 401
  forbidden,               // 403
  not_found,               // 404
  method_not_allowed,      // 405
  request_timeout,         // 408
  rate_limited,            // 429
  outbox_full,             // 503 + Retry-After: the store is at its cap
  storage_unavailable,     // 503 + Retry-After: the disk refused the write
  shutting_down,           // 503 + Retry-After
  upstream_unavailable,    // 503 + Retry-After: a peer the request needs (WeChat's API) failed
  internal,                // 500
};

/// An error value: a stable code plus a human-readable message. The message must never contain
/// personal data; it is returned to clients and may be logged.
struct error {
  errc code = errc::internal;
  std::string message;
};

/// The stable snake_case name of a code, e.g. "malformed_json".
std::string_view code_name(errc code);

/// The one HTTP status each code maps to.
int http_status(errc code);

/// Whether a client should retry later (503-class errors carry Retry-After).
bool is_retryable(errc code);

inline error make_error(errc code, std::string message) {
  return error{code, std::move(message)};
}

}  // namespace intake::core
