#include "common/privacy/sealed_box.hpp"

#include <gtest/gtest.h>

namespace intake::privacy {
namespace {

key_pair fresh_keys() {
  auto keys = generate_key_pair();
  EXPECT_TRUE(keys);
  return *keys;
}

TEST(sealed_box, seals_and_opens_back_the_exact_bytes) {
  const auto keys = fresh_keys();
  for (const std::string& plaintext :
       {std::string("{}"), std::string(R"({"name":"张三","phone":"+8613800138000"})"),
        std::string("\0binary\xff", 8), std::string(10000, 'x')}) {
    auto sealed = seal_to_base64(plaintext, keys.pub);
    ASSERT_TRUE(sealed) << sealed.error().message;
    EXPECT_EQ(sealed->find(plaintext), std::string::npos);
    auto opened = open_from_base64(*sealed, keys);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST(sealed_box, each_seal_differs_so_a_guess_cannot_be_checked_against_it) {
  const auto keys = fresh_keys();
  auto a = seal_to_base64("+8613800138000", keys.pub);
  auto b = seal_to_base64("+8613800138000", keys.pub);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST(sealed_box, a_wrong_key_or_a_damaged_box_fails_cleanly) {
  const auto keys = fresh_keys();
  const auto other = fresh_keys();
  const std::string plaintext = R"({"phone":"+8613912345678"})";
  auto sealed = seal_to_base64(plaintext, keys.pub);
  ASSERT_TRUE(sealed);

  std::string flipped = *sealed;
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';

  struct case_row {
    const char* what;
    std::string box;
    const key_pair* keys;
  };
  const case_row cases[] = {
      {"another recipient's key", *sealed, &other},
      {"one character changed", flipped, &keys},
      {"cut short", sealed->substr(0, sealed->size() - 8), &keys},
      {"shorter than the box overhead", "AAAA", &keys},
      {"not base64", "not base64 at all!", &keys},
      {"empty", "", &keys},
  };
  for (const auto& c : cases) {
    auto opened = open_from_base64(c.box, *c.keys);
    ASSERT_FALSE(opened) << c.what;
    EXPECT_EQ(opened.error().code, core::errc::invalid_field) << c.what;
    EXPECT_EQ(opened.error().message.find("8613912345678"), std::string::npos) << c.what;
  }
}

TEST(sealed_box, a_low_order_public_key_is_refused_not_used) {
  public_key zero;  // all zero: X25519 with it yields no shared secret
  auto sealed = seal_to_base64("x", zero);
  ASSERT_FALSE(sealed);
  EXPECT_EQ(sealed.error().code, core::errc::internal);
}

}  // namespace
}  // namespace intake::privacy
