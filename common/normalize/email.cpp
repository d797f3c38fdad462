#include "common/normalize/email.hpp"

#include <utf8proc.h>

#include <cstdint>

#include "common/normalize/text.hpp"

namespace intake::normalize {

namespace {

constexpr std::size_t max_email_input = 1024;  // bounds the work before the 254-byte check
constexpr std::size_t max_email = 254;
constexpr std::size_t max_local_part = 64;
constexpr std::size_t max_label = 63;

core::error invalid_email() {
  return core::make_error(core::errc::invalid_email, "email is not a valid address");
}

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_non_ascii(char c) {
  return static_cast<unsigned char>(c) >= 0x80;
}

// RFC 5322 dot-atom characters; quoted local parts are legal but nobody types them into a
// hotline form, and accepting them would let quotes and spaces into a field other systems parse.
bool is_local_char(char c) {
  static constexpr std::string_view specials = "!#$%&'*+/=?^_`{|}~-.";
  return is_ascii_alnum(c) || is_non_ascii(c) || specials.find(c) != std::string_view::npos;
}

bool valid_local_part(std::string_view local) {
  if (local.empty() || local.size() > max_local_part) return false;
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  for (const char c : local) {
    if (!is_local_char(c)) return false;
  }
  return true;
}

bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > max_label) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (const char c : label) {
    if (!is_ascii_alnum(c) && !is_non_ascii(c) && c != '-') return false;
  }
  return true;
}

bool valid_domain(std::string_view domain) {
  if (domain.find('.') == std::string_view::npos) return false;
  std::string_view tld;
  while (true) {
    const auto dot = domain.find('.');
    const auto label = domain.substr(0, dot);
    if (!valid_label(label)) return false;
    if (dot == std::string_view::npos) {
      tld = label;
      break;
    }
    domain.remove_prefix(dot + 1);
  }
  // An all-digit last label is an IP address written without brackets, not a domain.
  for (const char c : tld) {
    if (c < '0' || c > '9') return true;
  }
  return false;
}

// Input is valid UTF-8 (it comes from normalize_text).
std::string to_lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  auto left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    std::int32_t cp = 0;
    const auto n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) break;
    utf8proc_uint8_t buf[4];
    const auto len = utf8proc_encode_char(utf8proc_tolower(cp), buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(len));
    p += n;
    left -= n;
  }
  return out;
}

}  // namespace

core::result<std::string> normalize_email(std::string_view in) {
  if (in.size() > max_email_input) return tl::unexpected(invalid_email());
  auto text = normalize_text(in);  // trims and turns any inner white space into ' '
  if (!text) return tl::unexpected(invalid_email());
  std::string address = to_lower(*text);
  if (address.empty() || address.size() > max_email) return tl::unexpected(invalid_email());
  if (address.find(' ') != std::string::npos) return tl::unexpected(invalid_email());
  const auto at = address.find('@');
  if (at == std::string::npos || address.find('@', at + 1) != std::string::npos) {
    return tl::unexpected(invalid_email());
  }
  const std::string_view view = address;
  if (!valid_local_part(view.substr(0, at)) || !valid_domain(view.substr(at + 1))) {
    return tl::unexpected(invalid_email());
  }
  return address;
}

std::string mask_email(std::string_view normalized) {
  const auto at = normalized.rfind('@');
  if (at == std::string_view::npos || at == 0) return "***";
  // Keep the whole first code point, not just its first byte.
  std::size_t first = 1;
  while (first < at && (static_cast<unsigned char>(normalized[first]) & 0xC0) == 0x80) ++first;
  return std::string(normalized.substr(0, first)) + "***" + std::string(normalized.substr(at));
}

}  // namespace intake::normalize
