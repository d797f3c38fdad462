#include "channels/sms/sms_text.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

namespace intake::channels::sms {
namespace {

std::string bytes(std::initializer_list<int> list) {
  std::string out;
  for (int b : list) out += static_cast<char>(b);
  return out;
}

struct text_case {
  const char* name;
  std::string input;
  sms_coding coding;
  std::string charset;
  std::string text;
  bool malformed;
};

class decode_sms_text_cases : public ::testing::TestWithParam<text_case> {};

TEST_P(decode_sms_text_cases, decodes_or_keeps_and_flags) {
  const auto& c = GetParam();
  const auto d = decode_sms_text(c.input, c.coding, c.charset);
  EXPECT_EQ(d.text, c.text);
  EXPECT_EQ(d.malformed, c.malformed);
}

const std::string fffd = "\xEF\xBF\xBD";

INSTANTIATE_TEST_SUITE_P(
    charsets, decode_sms_text_cases,
    ::testing::Values(
        text_case{"ascii_7bit_as_kannel_sends_it", "Street lamp broken", sms_coding::gsm7, "UTF-8",
                  "Street lamp broken", false},
        text_case{"utf8_chinese", "路灯坏了", sms_coding::unknown, "utf-8", "路灯坏了", false},
        text_case{"ucs2_by_charset", bytes({0x8D, 0xEF, 0x70, 0x6F, 0x57, 0x4F, 0x4E, 0x86}),
                  sms_coding::ucs2, "UTF-16BE", "路灯坏了", false},
        text_case{"ucs2_by_coding_alone", bytes({0x8D, 0xEF, 0x70, 0x6F}), sms_coding::ucs2, "",
                  "路灯", false},
        text_case{"ucs2_label_with_quotes", bytes({0xFF, 0x0C}), sms_coding::ucs2, "\"UCS-2\"",
                  "，", false},
        text_case{"utf16_surrogate_pair", bytes({0xD8, 0x3D, 0xDE, 0x00}), sms_coding::ucs2,
                  "UTF-16BE", "😀", false},
        text_case{"gbk", bytes({0xC2, 0xB7, 0xB5, 0xC6, 0xBB, 0xB5, 0xC1, 0xCB}),
                  sms_coding::eight_bit, "GBK", "路灯坏了", false},
        text_case{"gb2312_label", bytes({0xC2, 0xB7, 0xB5, 0xC6}), sms_coding::eight_bit, "gb2312",
                  "路灯", false},
        text_case{"gb18030_four_byte", bytes({0x95, 0x32, 0x82, 0x36}), sms_coding::eight_bit,
                  "GB18030", "𠀀", false},
        text_case{"latin1_through_iconv", bytes({0x43, 0x61, 0x66, 0xE9}), sms_coding::eight_bit,
                  "ISO-8859-1", "Café", false},
        text_case{"gsm_basic", bytes({0x00, 0x01, 0x02, 0x41, 0x20, 0x10}), sms_coding::gsm7, "GSM",
                  "@£$A Δ", false},
        text_case{"gsm_extension", bytes({0x1B, 0x65, 0x31, 0x1B, 0x28}), sms_coding::gsm7, "gsm7",
                  "€1{", false},
        text_case{"empty", "", sms_coding::gsm7, "UTF-8", "", false},
        // Broken bytes: kept as U+FFFD and flagged, the rest of the message intact.
        text_case{"utf8_stray_continuation", bytes({'a', 0x80, 'b'}), sms_coding::gsm7, "UTF-8",
                  "a" + fffd + "b", true},
        text_case{"utf8_overlong", bytes({0xC0, 0xAF, 'x'}), sms_coding::unknown, "UTF-8",
                  fffd + fffd + "x", true},
        text_case{"utf8_surrogate", bytes({0xED, 0xA0, 0x80}), sms_coding::unknown, "UTF-8",
                  fffd + fffd + fffd, true},
        text_case{"utf8_truncated_at_end", bytes({'o', 'k', 0xE8, 0xB7}), sms_coding::unknown,
                  "UTF-8", "ok" + fffd + fffd, true},
        text_case{"ucs2_odd_length", bytes({0x8D, 0xEF, 0x70}), sms_coding::ucs2, "UTF-16BE",
                  "路" + fffd, true},
        text_case{"ucs2_lone_surrogate", bytes({0xD8, 0x3D, 0x8D, 0xEF}), sms_coding::ucs2,
                  "UTF-16BE", fffd + "路", true},
        text_case{"gbk_bad_trail_byte", bytes({0xC2, 0xB7, 0x81, 0x20, 0xB5, 0xC6}),
                  sms_coding::eight_bit, "GBK", "路" + fffd + " 灯", true},
        text_case{"gsm_byte_above_septet", bytes({0x41, 0xC8, 0x42}), sms_coding::gsm7, "GSM",
                  "A" + fffd + "B", true},
        text_case{"gsm_escape_at_end", bytes({0x41, 0x1B}), sms_coding::gsm7, "GSM", "A" + fffd,
                  true},
        text_case{"unknown_charset_is_kept_as_utf8_and_flagged", "hello", sms_coding::unknown,
                  "X-NO-SUCH-CHARSET", "hello", true}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(decode_sms_text, very_long_ucs2_text_decodes_whole) {
  std::string in;
  for (int i = 0; i < 5000; ++i) in += bytes({0x8D, 0xEF});
  const auto d = decode_sms_text(in, sms_coding::ucs2, "UTF-16BE");
  EXPECT_FALSE(d.malformed);
  EXPECT_EQ(d.text.size(), 5000u * 3);
}

TEST(decode_sms_text, coding_values) {
  EXPECT_EQ(parse_coding("0"), sms_coding::gsm7);
  EXPECT_EQ(parse_coding("1"), sms_coding::eight_bit);
  EXPECT_EQ(parse_coding("2"), sms_coding::ucs2);
  EXPECT_EQ(parse_coding(""), sms_coding::unknown);
  EXPECT_EQ(parse_coding("7"), sms_coding::unknown);
}

}  // namespace
}  // namespace intake::channels::sms
