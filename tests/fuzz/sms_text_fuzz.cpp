// SMS texts as gateways deliver them: any bytes in any coding and charset decode to text (bad
// bytes kept aside, never a lost message).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channels/sms/sms_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  using intake::channels::sms::sms_coding;
  constexpr sms_coding codings[] = {sms_coding::unknown, sms_coding::gsm7, sms_coding::eight_bit,
                                    sms_coding::ucs2};
  constexpr std::string_view charsets[] = {"",        "UTF-8",  "UTF-16BE",   "GBK",
                                           "GB18030", "GB2312", "ISO-8859-1", "no-such-charset"};
  const auto coding = codings[data[0] % 4];
  const auto charset = charsets[(data[0] >> 2) % 8];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  (void)intake::channels::sms::decode_sms_text(bytes, coding, charset);
  return 0;
}
