#include "common/http/responses.hpp"

#include "common/core/json_text.hpp"

#include <boost/beast/http/field.hpp>

namespace intake::http {

namespace bhttp = boost::beast::http;

namespace {
constexpr std::string_view json_content_type = "application/json; charset=utf-8";
}

response make_json_response(bhttp::status status, std::string body) {
  response res{status, 11};
  // These statuses have no body, and Beast throws when asked to frame one.
  bool bodiless = bhttp::to_status_class(status) == bhttp::status_class::informational ||
                  status == bhttp::status::no_content || status == bhttp::status::not_modified;
  if (!bodiless) {
    res.set(bhttp::field::content_type, json_content_type);
    res.body() = std::move(body);
  }
  res.prepare_payload();
  return res;
}

response make_error_response(const core::error& err, unsigned http_version, bool keep_alive,
                             std::chrono::seconds retry_after) {
  std::string body = "{\"error\":";
  body += core::json_quote(core::code_name(err.code));
  body += ",\"message\":";
  body += core::json_quote(err.message);
  body += '}';

  auto status = static_cast<unsigned>(core::http_status(err.code));
  response res{bhttp::int_to_status(status), http_version};
  res.set(bhttp::field::content_type, json_content_type);
  if ((status == 503 || status == 429) && retry_after.count() > 0) {
    res.set(bhttp::field::retry_after, std::to_string(retry_after.count()));
  }
  res.body() = std::move(body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

}  // namespace intake::http
