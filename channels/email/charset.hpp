#pragma once
// Body text of real-world mail to UTF-8. Labels lie: mail marked GB2312 routinely carries GBK
// characters (镕, 喆, 堃), so the GB family is always read as GB18030, its superset; Big5 as
// Big5-HKSCS for the same reason.
#include <optional>
#include <string>
#include <string_view>

namespace intake::channels::email {

/// The iconv name used to read text labelled `label` (case-insensitive), e.g. "gb2312" →
/// "GB18030"; nothing for an empty label.
std::optional<std::string> iconv_name_for(std::string_view label);

/// Converts `bytes` from `label` to UTF-8. Without a usable label: UTF-8 when the bytes are
/// valid UTF-8, else GB18030 (the likeliest in a Chinese mailbox), else ISO-8859-1. Bytes that
/// cannot be converted become U+FFFD; the result is always valid UTF-8.
std::string to_utf8(std::string_view bytes, std::string_view label);

/// True when `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

/// RFC 2047 encoded-words prepared for GMime's decoder: labels of the GB family become gb18030
/// (as for bodies), and base64 words become the equivalent quoted-printable words. GMime joins
/// adjacent words of one charset before converting them (right for a character split across two
/// words) but joins base64 text as is, so a padded word ("...A==?=") cut off every word after it.
std::string normalize_encoded_words(std::string_view header_value);

}  // namespace intake::channels::email
