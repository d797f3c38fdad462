#include "channels/sms/kannel_decode.hpp"

#include <gtest/gtest.h>

namespace intake::channels::sms {
namespace {

namespace bhttp = boost::beast::http;

http::request get(const std::string& target) {
  http::request req{bhttp::verb::get, target, 11};
  return req;
}

core::result<sms_message> decode(const http::request& req, std::size_t max_chars = 1600) {
  auto params = parse_form(query_of(req.target()));
  EXPECT_TRUE(params);
  return decode_kannel(req, *params, max_chars);
}

TEST(kannel_decode, get_url_with_every_escape) {
  auto m = decode(
      get("/sms/kannel?from=%2B8613800138000&to=12345&text=%8D%EF%70%6F&coding=2&charset=UTF-16BE"
          "&id=0b7a0c4e-1f9d-4c2a-9a57-3b0e2c1d9f00&smsc=fake&time=2026-12-02+03%3A00%3A00"));
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->sender, "+8613800138000");
  EXPECT_EQ(m->receiver, "12345");
  EXPECT_EQ(m->text, "路灯");
  EXPECT_EQ(m->gateway_id, "0b7a0c4e-1f9d-4c2a-9a57-3b0e2c1d9f00");
  EXPECT_EQ(m->smsc, "fake");
  EXPECT_FALSE(m->undecodable);
}

TEST(kannel_decode, post_url_body_with_kannel_headers) {
  http::request req{bhttp::verb::post, "/sms/kannel?id=abc-1", 11};
  req.set(bhttp::field::content_type, "text/plain; charset=\"UTF-16BE\"");
  req.set("X-Kannel-From", "13800138000");
  req.set("X-Kannel-To", "12345");
  req.set("X-Kannel-Coding", "2");
  req.set("X-Kannel-SMSC", "fake");
  req.body() = std::string("\x8D\xEF\x70\x6F", 4);
  auto m = decode(req);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->sender, "13800138000");
  EXPECT_EQ(m->text, "路灯");
  EXPECT_EQ(m->gateway_id, "abc-1");
}

TEST(kannel_decode, post_form_body_is_read_like_a_query) {
  http::request req{bhttp::verb::post, "/sms/kannel", 11};
  req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
  req.body() = "from=13800138000&text=hello+there&charset=UTF-8";
  auto m = decode(req);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->text, "hello there");
}

TEST(kannel_decode, a_bad_byte_keeps_the_message_with_its_raw_bytes) {
  auto m = decode(get("/sms/kannel?from=13800138000&text=%C2%B7%81%20%B5%C6&charset=GBK"));
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_TRUE(m->undecodable);
  EXPECT_EQ(m->undecodable->raw_hex, "c2b78120b5c6");
  EXPECT_EQ(m->undecodable->charset, "GB18030");
  EXPECT_NE(m->text.find("\xEF\xBF\xBD"), std::string::npos);
}

struct refusal_case {
  const char* name;
  std::string target;
  core::errc code;
};

class kannel_refusals : public ::testing::TestWithParam<refusal_case> {};

TEST_P(kannel_refusals, clear_error) {
  auto m = decode(get(GetParam().target), 10);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, GetParam().code) << m.error().message;
  EXPECT_FALSE(m.error().message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    bad_input, kannel_refusals,
    ::testing::Values(
        refusal_case{"no_sender", "/sms/kannel?text=hi", core::errc::missing_field},
        refusal_case{"empty_sender", "/sms/kannel?from=&text=hi", core::errc::missing_field},
        refusal_case{"no_text", "/sms/kannel?from=13800138000", core::errc::missing_field},
        refusal_case{"empty_text", "/sms/kannel?from=13800138000&text=", core::errc::missing_field},
        refusal_case{"blank_text", "/sms/kannel?from=13800138000&text=+%09+",
                     core::errc::missing_field},
        refusal_case{"too_long", "/sms/kannel?from=13800138000&text=12345678901",
                     core::errc::field_too_long},
        refusal_case{"bad_id", "/sms/kannel?from=13800138000&text=hi&id=a+b",
                     core::errc::bad_request}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(kannel_decode, error_messages_do_not_echo_the_sender) {
  auto m = decode(get("/sms/kannel?from=13800138000&text=12345678901"), 10);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message.find("13800138000"), std::string::npos);
}

}  // namespace
}  // namespace intake::channels::sms
