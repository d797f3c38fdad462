#include "common/normalize/phone.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace intake::normalize {
namespace {

struct phone_case {
  std::string in;
  std::string want;
};

TEST(normalize_phone, accepts_mainland_numbers) {
  const std::vector<phone_case> cases = {
      // mobiles
      {"13800138000", "+8613800138000"},
      {"+86 138 0013 8000", "+8613800138000"},
      {"+86-138-0013-8000", "+8613800138000"},
      {"0086-138-0013-8000", "+8613800138000"},
      {"0086 13800138000", "+8613800138000"},
      {"86 13800138000", "+8613800138000"},
      {"8613800138000", "+8613800138000"},
      {"138.0013.8000", "+8613800138000"},
      {"(138) 0013-8000", "+8613800138000"},
      {"  13800138000  ", "+8613800138000"},
      {"１３８００１３８０００", "+8613800138000"},
      {"＋８６ １３８ ００１３ ８０００", "+8613800138000"},
      {"138\u30000013\u30008000", "+8613800138000"},
      {"19912345678", "+8619912345678"},
      // landlines
      {"010-12345678", "+861012345678"},
      {"(0755) 8765 4321", "+8675587654321"},
      {"（０７５５）８７６５４３２１", "+8675587654321"},
      {"+86 755 87654321", "+8675587654321"},
      {"+86 (0)755 87654321", "+8675587654321"},
      {"0086 10 12345678", "+861012345678"},
      {"86-10-12345678", "+861012345678"},
      {"021-1234567", "+86211234567"},
      {"0571-8888-6666", "+8657188886666"},
      // extensions are dropped
      {"010-12345678-123", "+861012345678"},
      {"010-12345678转123", "+861012345678"},
      {"010-12345678 转 8001", "+861012345678"},
      {"0755-87654321 ext. 12", "+8675587654321"},
      {"0755-87654321 EXT 12", "+8675587654321"},
      {"0755-87654321分机12", "+8675587654321"},
  };
  for (const auto& c : cases) {
    const auto got = normalize_phone(c.in);
    ASSERT_TRUE(got.has_value()) << c.in;
    EXPECT_EQ(*got, c.want) << c.in;
  }
}

TEST(normalize_phone, rejects_everything_else) {
  const std::vector<std::string> cases = {
      "",
      "   ",
      "1380013800",       // 10 digits
      "138001380001",     // 12 digits
      "12800138000",      // 12x is not a mobile prefix
      "23800138000",      // not a mobile, no trunk 0
      "12345678",         // landline without area code
      "87654321",         // landline without area code
      "75587654321",      // area code without trunk 0 or country code
      "0755-123456",      // subscriber too short
      "0755-123456789",   // subscriber too long
      "0755-01234567",    // subscriber starts with 0
      "010-1234567890",   // subscriber too long
      "0123-4567890",     // 1x area codes other than 10 do not exist
      "045",              // an area code and nothing after it (found by fuzz_normalize)
      "+86 45",           // the same, international
      "02",               // shorter than its area code
      "+1 415 555 0100",  // not mainland China
      "+852 2123 4567",   // Hong Kong
      "00852 2123 4567",  // Hong Kong
      "+86 12800138000",  // bad mobile prefix after country code
      "1380013800a",      // letter
      "tel:13800138000",  // scheme
      "138 0013 8000 / 139 0013 9000",
      "13800138000+",         // plus not at the start
      "010-12345678 转 abc",  // extension is not digits
      "010-12345678 转",      // empty extension
      "\xff",                 // not UTF-8
      std::string(200, '1'),
  };
  for (const auto& in : cases) {
    const auto got = normalize_phone(in);
    ASSERT_FALSE(got.has_value()) << in;
    EXPECT_EQ(got.error().code, core::errc::invalid_phone) << in;
    EXPECT_EQ(got.error().message,
              "phone is not a mainland China mobile or landline number with area code");
  }
}

TEST(mask_phone, keeps_prefix_and_last_four) {
  const std::vector<phone_case> cases = {
      {"+8613800138000", "138****8000"},
      {"+8675587654321", "0755****4321"},
      {"+861012345678", "010****5678"},
      {"+86211234567", "021****4567"},
      {"", "****"},
      {"13800138000", "****"},
      {"+1415555010", "****"},
  };
  for (const auto& c : cases) EXPECT_EQ(mask_phone(c.in), c.want) << c.in;
}

struct find_case {
  std::string text;
  std::optional<std::string> want;
};

TEST(find_phone_in_text, finds_first_mobile) {
  const std::vector<find_case> cases = {
      {"", std::nullopt},
      {"请联系我13800138000谢谢", "+8613800138000"},
      {"电话：138 0013 8000，下午可接", "+8613800138000"},
      {"电话：138-0013-8000", "+8613800138000"},
      {"call +86 139 1234 5678 or 13800138000", "+8613912345678"},
      {"0086-13800138000", "+8613800138000"},
      {"手机１３８００１３８０００", "+8613800138000"},
      {"2020-01-05 13800138000", "+8613800138000"},
      {"13800138000 2020", "+8613800138000"},
      {"身份证430104199001011234", std::nullopt},  // digits inside a longer number
      {"订单号 113800138000", std::nullopt},
      {"座机010-12345678", std::nullopt},  // landlines are not taken from free text
      {"1380013800", std::nullopt},
      {"138  0013  8000", std::nullopt},  // two separators break the number apart
      {"bad \xff byte 13800138000", "+8613800138000"},
      {"A000102948 用户", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(find_phone_in_text(c.text), c.want) << c.text;
}

TEST(normalize_phone, round_trips_through_mask_and_find) {
  const auto n = normalize_phone("138 0013 8000");
  ASSERT_TRUE(n);
  EXPECT_EQ(normalize_phone(*n).value_or(""), *n);  // idempotent
  EXPECT_EQ(find_phone_in_text(*n), *n);
}

}  // namespace
}  // namespace intake::normalize
