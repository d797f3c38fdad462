#include "channels/sms/kannel_decode.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "channels/sms/sms_text.hpp"
#include "common/core/ascii.hpp"
#include "common/core/hmac.hpp"
#include "common/normalize/text.hpp"

namespace intake::channels::sms {

namespace {
namespace bhttp = boost::beast::http;

// The charset parameter of a Content-Type, unquoted ("" when none).
std::string charset_of(std::string_view content_type) {
  const std::string ct = core::ascii_lower(content_type);
  const auto at = ct.find("charset=");
  if (at == std::string::npos) return {};
  std::string value = ct.substr(at + 8);
  value = value.substr(0, value.find(';'));
  value.erase(
      std::remove_if(value.begin(), value.end(), [](char c) { return c == '"' || c == ' '; }),
      value.end());
  return value;
}

bool is_form(std::string_view content_type) {
  return core::ascii_lower(content_type).rfind("application/x-www-form-urlencoded", 0) == 0;
}

// A parameter, else the X-Kannel header of the post-url form, else "".
std::string field(const form_params& params, const http::request& req, std::string_view name,
                  std::string_view header) {
  if (auto v = param(params, name)) return std::string(*v);
  if (auto it = req.find(header); it != req.end()) return std::string(it->value());
  return {};
}

}  // namespace

core::result<void> check_gateway_id(std::string_view id) {
  if (id.empty() || id.size() > 128 ||
      !std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return core::fail(core::errc::bad_request, "id must be 1-128 visible ASCII characters");
  }
  return {};
}

core::result<void> check_text(std::string_view text, std::size_t max_text_chars) {
  auto folded = normalize::normalize_text(text);
  if (!folded || folded->empty()) {
    return core::fail(core::errc::missing_field, "the message has no text");
  }
  const auto chars = normalize::count_chars(text);
  if (chars > max_text_chars) {
    return core::fail(core::errc::field_too_long,
                      "the message has " + std::to_string(chars) + " characters; at most " +
                          std::to_string(max_text_chars) + " are accepted");
  }
  return {};
}

core::result<sms_message> decode_kannel(const http::request& req, const form_params& query,
                                        std::size_t max_text_chars) {
  const bool post = req.method() == bhttp::verb::post;
  const std::string content_type(req[bhttp::field::content_type]);
  form_params params = query;
  std::optional<std::string> body_text;
  std::string charset;
  if (post && is_form(content_type)) {
    auto form = parse_form(req.body());
    if (!form) return tl::unexpected(form.error());
    params.merge(*form);  // the query's values stay where both have a name
  } else if (post) {
    body_text = req.body();
    charset = charset_of(content_type);
  }

  sms_message m;
  m.sender = field(params, req, "from", "X-Kannel-From");
  if (m.sender.empty()) {
    return core::fail(core::errc::missing_field, "from (the sender, Kannel %p) is required");
  }
  m.receiver = field(params, req, "to", "X-Kannel-To");
  m.smsc = field(params, req, "smsc", "X-Kannel-SMSC");
  if (auto id = param(params, "id")) {
    if (auto r = check_gateway_id(*id); !r) return tl::unexpected(r.error());
    m.gateway_id = std::string(*id);
  }
  if (!body_text) {
    auto text = param(params, "text");
    if (!text) return core::fail(core::errc::missing_field, "text (Kannel %b) is required");
    body_text = std::string(*text);
    charset = std::string(param(params, "charset").value_or(""));
  } else if (auto c = param(params, "charset")) {
    charset = std::string(*c);
  }
  const auto coding = parse_coding(field(params, req, "coding", "X-Kannel-Coding"));

  auto decoded = decode_sms_text(*body_text, coding, charset);
  if (decoded.malformed) {
    m.undecodable = model::undecodable_text{1, decoded.charset, core::to_hex(*body_text)};
  }
  m.text = std::move(decoded.text);
  if (auto r = check_text(m.text, max_text_chars); !r) return tl::unexpected(r.error());
  return m;
}

}  // namespace intake::channels::sms
