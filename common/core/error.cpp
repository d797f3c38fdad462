#include "common/core/error.hpp"

namespace intake::core {

namespace {
struct code_row {
  errc code;
  std::string_view name;
  int status;
};

// One row per code: the only place names and statuses are defined.
constexpr code_row code_table[] = {
    {errc::bad_request, "bad_request", 400},
    {errc::malformed_json, "malformed_json", 400},
    {errc::invalid_utf8, "invalid_utf8", 400},
    {errc::unsupported_media_type, "unsupported_media_type", 415},
    {errc::payload_too_large, "payload_too_large", 413},
    {errc::header_too_large, "header_too_large", 431},
    {errc::missing_field, "missing_field", 422},
    {errc::invalid_field, "invalid_field", 422},
    {errc::field_too_long, "field_too_long", 422},
    {errc::invalid_phone, "invalid_phone", 422},
    {errc::invalid_email, "invalid_email", 422},
    {errc::unauthorized, "unauthorized", 401},
    {errc::forbidden, "forbidden", 403},
    {errc::not_found, "not_found", 404},
    {errc::method_not_allowed, "method_not_allowed", 405},
    {errc::request_timeout, "request_timeout", 408},
    {errc::rate_limited, "rate_limited", 429},
    {errc::outbox_full, "outbox_full", 503},
    {errc::storage_unavailable, "storage_unavailable", 503},
    {errc::shutting_down, "shutting_down", 503},
    {errc::upstream_unavailable, "upstream_unavailable", 503},
    {errc::internal, "internal", 500},
};

const code_row& row_of(errc code) {
  for (const auto& row : code_table) {
    if (row.code == code) return row;
  }
  return code_table[sizeof(code_table) / sizeof(code_table[0]) - 1];
}
}  // namespace

std::string_view code_name(errc code) {
  return row_of(code).name;
}
int http_status(errc code) {
  return row_of(code).status;
}
bool is_retryable(errc code) {
  return http_status(code) == 503 || code == errc::rate_limited;
}

}  // namespace intake::core
