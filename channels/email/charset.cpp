#include "channels/email/charset.hpp"
#include "common/core/ascii.hpp"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <optional>

namespace intake::channels::email {

namespace {

struct alias {
  std::string_view label;
  std::string_view iconv;
};

constexpr std::array<alias, 14> aliases = {{
    {"gb2312", "GB18030"},
    {"gbk", "GB18030"},
    {"x-gbk", "GB18030"},
    {"gb18030", "GB18030"},
    {"cp936", "GB18030"},
    {"ms936", "GB18030"},
    {"windows-936", "GB18030"},
    {"euc-cn", "GB18030"},
    {"x-euc-cn", "GB18030"},
    {"big5", "BIG5-HKSCS"},
    {"big5-hkscs", "BIG5-HKSCS"},
    {"x-big5", "BIG5-HKSCS"},
    {"cp950", "BIG5-HKSCS"},
    {"utf8", "UTF-8"},
}};

constexpr std::string_view replacement = "\xEF\xBF\xBD";

class iconv_handle {
 public:
  explicit iconv_handle(const std::string& from) : cd_(::iconv_open("UTF-8", from.c_str())) {}
  ~iconv_handle() {
    if (ok()) ::iconv_close(cd_);
  }
  iconv_handle(const iconv_handle&) = delete;
  iconv_handle& operator=(const iconv_handle&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

// Converts, replacing each undecodable byte with U+FFFD; nothing when iconv does not know the
// charset. `strict` fails instead of replacing (used to test whether bytes fit a charset).
std::optional<std::string> convert(std::string_view bytes, const std::string& from, bool strict) {
  iconv_handle cd(from);
  if (!cd.ok()) return std::nullopt;
  std::string out;
  out.reserve(bytes.size() * 3 / 2 + 16);
  char buffer[4096];
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  while (in_left > 0) {
    char* dst = buffer;
    std::size_t dst_left = sizeof buffer;
    const auto rc = ::iconv(cd.get(), &in, &in_left, &dst, &dst_left);
    out.append(buffer, static_cast<std::size_t>(dst - buffer));
    if (rc != static_cast<std::size_t>(-1)) continue;
    if (errno == E2BIG) continue;
    // EILSEQ or EINVAL (truncated sequence at the end): skip one byte.
    if (strict) return std::nullopt;
    out += replacement;
    ++in;
    --in_left;
    ::iconv(cd.get(), nullptr, nullptr, nullptr, nullptr);
  }
  char* dst = buffer;
  std::size_t dst_left = sizeof buffer;
  ::iconv(cd.get(), nullptr, nullptr, &dst, &dst_left);
  out.append(buffer, static_cast<std::size_t>(dst - buffer));
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const auto n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

std::optional<std::string> iconv_name_for(std::string_view label) {
  std::string l = core::ascii_lower(label);
  // Labels arrive quoted or padded now and then.
  std::erase_if(l, [](char c) {
    return c == '"' || c == '\'' || std::isspace(static_cast<unsigned char>(c));
  });
  if (l.empty()) return std::nullopt;
  for (const auto& a : aliases) {
    if (l == a.label) return std::string(a.iconv);
  }
  // ISO-8859-x, windows-125x, UTF-8, KOI8-R...: iconv knows them by their own names.
  std::string upper = l;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return upper;
}

std::string to_utf8(std::string_view bytes, std::string_view label) {
  if (const auto name = iconv_name_for(label); name && *name != "US-ASCII" && *name != "ASCII") {
    if (*name == "UTF-8" && is_valid_utf8(bytes)) return std::string(bytes);
    if (auto converted = convert(bytes, *name, false)) return *converted;
  }
  if (is_valid_utf8(bytes)) return std::string(bytes);
  if (auto gb = convert(bytes, "GB18030", true)) return *gb;
  return convert(bytes, "ISO-8859-1", false).value_or(std::string());
}

namespace {

// Tolerant base64: skips what is not in the alphabet, stops at padding.
std::string base64_decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+')
      v = 62;
    else if (c == '/')
      v = 63;
    else if (c == '=')
      break;
    if (v < 0) continue;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string q_encode(std::string_view bytes) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 3);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += '=';
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

}  // namespace

std::string normalize_encoded_words(std::string_view value) {
  std::string out;
  out.reserve(value.size() * 2);
  std::size_t i = 0;
  while (i < value.size()) {
    const auto start = value.find("=?", i);
    if (start == std::string_view::npos) break;
    const auto q = value.find('?', start + 2);
    // =?charset?E?text?=
    if (q == std::string_view::npos || q + 3 >= value.size() || value[q + 2] != '?') {
      out.append(value.substr(i, start + 2 - i));
      i = start + 2;
      continue;
    }
    const auto end = value.find("?=", q + 3);
    if (end == std::string_view::npos) break;
    out.append(value.substr(i, start - i));
    std::string_view charset = value.substr(start + 2, q - start - 2);
    const auto star = charset.find('*');  // RFC 2231 language suffix: gb2312*zh-cn
    const auto name = iconv_name_for(charset.substr(0, star));
    const std::string label = name && *name == "GB18030" ? "gb18030" : std::string(charset);
    const char encoding = value[q + 1];
    const std::string_view text = value.substr(q + 3, end - q - 3);
    if (encoding == 'B' || encoding == 'b')
      out += "=?" + label + "?Q?" + q_encode(base64_decode(text)) + "?=";
    else
      out += "=?" + label + "?" + encoding + "?" + std::string(text) + "?=";
    i = end + 2;
  }
  out.append(value.substr(std::min(i, value.size())));
  return out;
}

}  // namespace intake::channels::email
