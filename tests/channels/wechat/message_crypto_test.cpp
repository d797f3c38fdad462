#include "channels/wechat/message_crypto.hpp"

#include <gtest/gtest.h>

namespace intake::channels::wechat {
namespace {

// The EncodingAESKey and appid of WeChat's sample code (WXBizMsgCrypt); the Encrypt text was
// computed with Python's `cryptography` package from the message below and the random prefix
// "0123456789abcdef", so the two implementations check each other.
constexpr std::string_view sample_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
constexpr std::string_view sample_appid = "wxb11529c136998cb6";
constexpr std::string_view sample_message =
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA["
    "oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName><CreateTime>1409080399</CreateTime><MsgType><!"
    "[CDATA[text]]></MsgType><Content><![CDATA[路灯坏了]]></Content><MsgId>6052830193495064595</"
    "MsgId></xml>";
constexpr std::string_view sample_encrypt =
    "Q3stYC6hdFzMh9T8HCvyDBzTOeT6LZAVRV+KJkF5K1iYD4Pzv6kZyHEfqj/MDnSlttdqbbQq4BEV4pxiDAAH4JwZ3yh4Uz"
    "GDIOh4J40b0aIolXUZm7FQpLpG0TP63r57shDV0T9N4UHWak8IWMIEQlVWvtVkyWQpJKGPkB4CgMfoPtkmErOOO28p/"
    "MXF3uf/H7l8DyMD4sx7W8PyDl38kL/kuBUioS5pAJ0l00hfX4rw3PWgjOoO0FAmRGY2SPN5a4S4Sujozorhu+"
    "1ABhFMQht166j6ohvP5WB6P1YUQEZJrWCqPP1dRJmzoCRBCBAHG+iobCtaPgC+"
    "gmXAUb/Yy3XK6gqwyzaWo9jc3AW4z0jH0yORApoJamqIY8khu4XHamqzbcaVRgbeQqbyWDLcu/"
    "OcyuNJWUv1X2gnd67LaV8=";

message_crypto sample() {
  auto c = message_crypto::create(sample_key, std::string(sample_appid));
  EXPECT_TRUE(c.has_value());
  return *c;
}

TEST(message_crypto, matches_an_independent_implementation) {
  const auto c = sample();
  EXPECT_EQ(c.encrypt(sample_message, "0123456789abcdef"), sample_encrypt);
  auto plain = c.decrypt(sample_encrypt);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(*plain, sample_message);
}

TEST(message_crypto, round_trips_every_length_around_the_block) {
  const auto c = sample();
  for (std::size_t n : {0u, 1u, 11u, 12u, 13u, 31u, 32u, 33u, 64u, 1000u}) {
    const std::string message(n, 'x');
    auto back = c.decrypt(c.encrypt(message));
    ASSERT_TRUE(back) << n;
    EXPECT_EQ(*back, message);
  }
}

TEST(message_crypto, refuses_tampered_and_foreign_texts) {
  const auto c = sample();
  auto other_app = message_crypto::create(sample_key, "wx0000000000000000");
  ASSERT_TRUE(other_app);
  std::string flipped(sample_encrypt);
  flipped[flipped.size() - 6] = flipped[flipped.size() - 6] == 'A' ? 'B' : 'A';
  struct row {
    std::string name;
    std::string text;
  };
  const row rows[] = {
      {"not base64", "***"},
      {"empty", ""},
      {"not whole blocks", std::string(sample_encrypt.substr(0, 20)) + "=="},
      {"last block altered", flipped},
      {"another appid's message", other_app->encrypt("<xml/>")},
  };
  for (const auto& r : rows) {
    auto out = c.decrypt(r.text);
    ASSERT_FALSE(out) << r.name;
    EXPECT_EQ(out.error().code, core::errc::forbidden) << r.name;
  }
}

TEST(message_crypto, refuses_malformed_keys) {
  for (std::string_view key : {std::string_view(""), sample_key.substr(0, 42),
                               std::string_view("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF!")}) {
    EXPECT_FALSE(message_crypto::create(key, "wx")) << key;
  }
}

}  // namespace
}  // namespace intake::channels::wechat
