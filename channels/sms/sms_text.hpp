#pragma once
// The text of an SMS from the bytes a gateway hands over and the coding/charset it declares.
// A byte that does not decode never costs the message: it becomes U+FFFD and the result is
// flagged, so the caller keeps the raw bytes beside the text. Pure.
#include <string>
#include <string_view>

namespace intake::channels::sms {

/// The SMS data coding the gateway reports (Kannel's %c).
enum class sms_coding { unknown, gsm7, eight_bit, ucs2 };

/// Kannel's %c: "0" 7-bit, "1" 8-bit, "2" UCS-2; anything else is unknown.
sms_coding parse_coding(std::string_view text);

struct decoded_text {
  std::string text;     // UTF-8
  std::string charset;  // the charset the bytes were read as
  bool malformed = false;
};

/// Decodes `bytes`. The declared `charset` wins when given (UTF-8, UTF-16BE/UCS-2, GSM 03.38,
/// GBK/GB2312/GB18030, or any other name iconv knows); without one, the coding decides (7-bit:
/// UTF-8, as Kannel delivers it; UCS-2: UTF-16BE; 8-bit: UTF-8). An unknown charset is read as
/// UTF-8 and flagged.
decoded_text decode_sms_text(std::string_view bytes, sms_coding coding, std::string_view charset);

/// GSM 03.38 default alphabet and its extension table, one septet per byte (unpacked).
decoded_text decode_gsm7(std::string_view septets);

/// UTF-8 with each byte that is not part of a well-formed sequence replaced by U+FFFD.
decoded_text sanitize_utf8(std::string_view bytes);

}  // namespace intake::channels::sms
