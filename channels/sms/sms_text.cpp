#include "channels/sms/sms_text.hpp"
#include "common/core/utf8.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <memory>

namespace intake::channels::sms {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

// 3GPP TS 23.038 default alphabet, indexed by septet.
constexpr char32_t gsm_basic[128] = {
    U'@', U'£', U'$', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç',  U'\n', U'Ø', U'ø',    U'\r', U'Å',
    U'å', U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ', U'Σ',  U'Θ',  U'Ξ', U'\x1B', U'Æ',  U'æ',
    U'ß', U'É', U' ', U'!', U'"', U'#', U'¤', U'%', U'&', U'\'', U'(',  U')', U'*',    U'+',  U',',
    U'-', U'.', U'/', U'0', U'1', U'2', U'3', U'4', U'5', U'6',  U'7',  U'8', U'9',    U':',  U';',
    U'<', U'=', U'>', U'?', U'¡', U'A', U'B', U'C', U'D', U'E',  U'F',  U'G', U'H',    U'I',  U'J',
    U'K', U'L', U'M', U'N', U'O', U'P', U'Q', U'R', U'S', U'T',  U'U',  U'V', U'W',    U'X',  U'Y',
    U'Z', U'Ä', U'Ö', U'Ñ', U'Ü', U'§', U'¿', U'a', U'b', U'c',  U'd',  U'e', U'f',    U'g',  U'h',
    U'i', U'j', U'k', U'l', U'm', U'n', U'o', U'p', U'q', U'r',  U's',  U't', U'u',    U'v',  U'w',
    U'x', U'y', U'z', U'ä', U'ö', U'ñ', U'ü', U'à',
};

// The extension table, reached through the escape septet 0x1B.
char32_t gsm_extension(unsigned char septet) {
  switch (septet) {
    case 0x0A:
      return U'\f';
    case 0x14:
      return U'^';
    case 0x28:
      return U'{';
    case 0x29:
      return U'}';
    case 0x2F:
      return U'\\';
    case 0x3C:
      return U'[';
    case 0x3D:
      return U'~';
    case 0x3E:
      return U']';
    case 0x40:
      return U'|';
    case 0x65:
      return U'€';
    default:
      return 0;
  }
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  out.erase(std::remove_if(out.begin(), out.end(), [](char c) { return c == '"' || c == ' '; }),
            out.end());
  return out;
}

struct iconv_handle {
  explicit iconv_handle(const char* from) : cd(iconv_open("UTF-8", from)) {}
  ~iconv_handle() {
    if (ok()) iconv_close(cd);
  }
  iconv_handle(const iconv_handle&) = delete;
  iconv_handle& operator=(const iconv_handle&) = delete;
  bool ok() const { return cd != reinterpret_cast<iconv_t>(-1); }
  iconv_t cd;
};

// Converts with iconv; a sequence it refuses costs `unit` bytes and one U+FFFD.
bool convert_with_iconv(std::string_view bytes, const std::string& from, std::size_t unit,
                        decoded_text& out) {
  iconv_handle h(from.c_str());
  if (!h.ok()) return false;
  out.charset = from;
  std::string buffer(4096, '\0');
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  while (in_left > 0) {
    char* o = buffer.data();
    std::size_t o_left = buffer.size();
    const std::size_t rc = iconv(h.cd, &in, &in_left, &o, &o_left);
    out.text.append(buffer.data(), buffer.size() - o_left);
    if (rc != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) continue;
    // EILSEQ (an invalid sequence) or EINVAL (a sequence cut short at the end).
    out.text += replacement;
    out.malformed = true;
    const std::size_t skip = std::min(unit, in_left);
    in += skip;
    in_left -= skip;
    iconv(h.cd, nullptr, nullptr, nullptr, nullptr);  // back to the initial state
  }
  return true;
}

}  // namespace

sms_coding parse_coding(std::string_view text) {
  if (text == "0") return sms_coding::gsm7;
  if (text == "1") return sms_coding::eight_bit;
  if (text == "2") return sms_coding::ucs2;
  return sms_coding::unknown;
}

decoded_text sanitize_utf8(std::string_view bytes) {
  decoded_text out;
  out.charset = "UTF-8";
  out.text.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    std::size_t len = 0;
    char32_t min = 0;
    char32_t cp = 0;
    if (b0 < 0x80) {
      out.text += static_cast<char>(b0);
      ++i;
      continue;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = b0 & 0x07;
    }
    bool ok = len > 0 && i + len <= bytes.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(bytes[i + k]);
      if ((b & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (b & 0x3F);
    }
    ok = ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (!ok) {
      out.text += replacement;
      out.malformed = true;
      ++i;
      continue;
    }
    out.text.append(bytes.substr(i, len));
    i += len;
  }
  return out;
}

decoded_text decode_gsm7(std::string_view septets) {
  decoded_text out;
  out.charset = "GSM";
  for (std::size_t i = 0; i < septets.size(); ++i) {
    const auto s = static_cast<unsigned char>(septets[i]);
    if (s > 0x7F) {
      out.text += replacement;
      out.malformed = true;
      continue;
    }
    if (s != 0x1B) {
      core::append_utf8(out.text, gsm_basic[s]);
      continue;
    }
    if (i + 1 >= septets.size()) {
      out.text += replacement;  // an escape with nothing after it
      out.malformed = true;
      continue;
    }
    const auto next = static_cast<unsigned char>(septets[++i]);
    if (const char32_t ext = next <= 0x7F ? gsm_extension(next) : 0; ext != 0) {
      core::append_utf8(out.text, ext);
    } else {
      // 23.038: an unknown extension shows as a space.
      out.text += ' ';
    }
  }
  return out;
}

decoded_text decode_sms_text(std::string_view bytes, sms_coding coding, std::string_view charset) {
  std::string name = upper(charset);
  if (name.empty()) {
    name = coding == sms_coding::ucs2 ? "UTF-16BE" : "UTF-8";
  }
  if (name == "UTF-8" || name == "UTF8") return sanitize_utf8(bytes);
  if (name == "GSM" || name == "GSM7" || name == "GSM-7" || name == "GSM0338" ||
      name == "GSM03.38") {
    return decode_gsm7(bytes);
  }
  decoded_text out;
  if (name == "UCS-2" || name == "UCS-2BE" || name == "UCS2" || name == "UTF-16BE" ||
      name == "UTF16BE" || name == "UTF-16") {
    // UTF-16BE rather than UCS-2: phones send surrogate pairs (emoji) under the UCS-2 label.
    convert_with_iconv(bytes, "UTF-16BE", 2, out);
    return out;
  }
  if (name == "GB2312" || name == "GBK" || name == "CP936" || name == "GB18030") {
    // GB18030 contains GBK, which contains GB2312: phones mislabel among the three.
    convert_with_iconv(bytes, "GB18030", 1, out);
    return out;
  }
  if (convert_with_iconv(bytes, name, 1, out)) return out;
  // A charset nobody here knows: keep what UTF-8 can make of it, flagged, with the raw bytes.
  out = sanitize_utf8(bytes);
  out.charset = std::string(charset);
  out.malformed = true;
  return out;
}

}  // namespace intake::channels::sms
