#include "tests/integration/support/web_form.hpp"

#include <regex>

namespace intake::testing {

namespace {

std::string first_match(std::string_view html, const std::regex& pattern) {
  std::match_results<std::string_view::const_iterator> m;
  return std::regex_search(html.begin(), html.end(), m, pattern) ? std::string(m[1]) : "";
}

std::string percent_encoded(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '*') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0x0F]);
    }
  }
  return out;
}

constexpr std::string_view boundary = "----intake-form-boundary";

}  // namespace

std::string page_token_in(std::string_view html) {
  static const std::regex token(R"re(name="token" value="([^"]+)")re");
  return first_match(html, token);
}

std::string urlencoded_body(const form_fields& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body.push_back('&');
    body += percent_encoded(name) + "=" + percent_encoded(value);
  }
  return body;
}

std::string multipart_body(const form_fields& fields, const std::vector<form_file>& files) {
  std::string body;
  const std::string delimiter = "--" + std::string(boundary) + "\r\n";
  for (const auto& [name, value] : fields) {
    body += delimiter + "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value +
            "\r\n";
  }
  for (const auto& f : files) {
    body += delimiter + "Content-Disposition: form-data; name=\"" + f.field + "\"; filename=\"" +
            f.filename + "\"\r\nContent-Type: " + f.content_type + "\r\n\r\n" + f.bytes + "\r\n";
  }
  body += "--" + std::string(boundary) + "--\r\n";
  return body;
}

std::string receipt_tracking_number(std::string_view html) {
  static const std::regex number(R"re(id="tracking-number">([^<]+)<)re");
  return first_match(html, number);
}

std::string receipt_alert(std::string_view html) {
  static const std::regex alert(R"re(role="alert"><p>([^<]*)</p>)re");
  return first_match(html, alert);
}

}  // namespace intake::testing
