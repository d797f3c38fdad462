#include "channels/sms/webhook_decode.hpp"

#include <gtest/gtest.h>

namespace intake::channels::sms {
namespace {

TEST(webhook_decode, default_mapping) {
  auto m = decode_webhook(R"({"from":"+8613800138000","to":"12345","text":"路灯坏了","id":"m-1"})",
                          webhook_mapping{}, 1600);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->sender, "+8613800138000");
  EXPECT_EQ(m->receiver, "12345");
  EXPECT_EQ(m->text, "路灯坏了");
  EXPECT_EQ(m->gateway_id, "m-1");
}

TEST(webhook_decode, nested_mapping_and_numeric_id) {
  const webhook_mapping mapping{"/data/mobile", "/data/sign", "/data/content", "/data/msg_id"};
  auto m = decode_webhook(
      R"({"data":{"mobile":"13800138000","content":"井盖丢了","msg_id":123456789012}})", mapping,
      1600);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->sender, "13800138000");
  EXPECT_EQ(m->text, "井盖丢了");
  EXPECT_EQ(m->gateway_id, "123456789012");
  EXPECT_EQ(m->receiver, "");
}

struct refusal_case {
  const char* name;
  std::string body;
  core::errc code;
};

class webhook_refusals : public ::testing::TestWithParam<refusal_case> {};

TEST_P(webhook_refusals, clear_error) {
  auto m = decode_webhook(GetParam().body, webhook_mapping{}, 10);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, GetParam().code) << m.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    bad_input, webhook_refusals,
    ::testing::Values(refusal_case{"not_json", "{from:", core::errc::malformed_json},
                      refusal_case{"not_an_object", "[1,2]", core::errc::malformed_json},
                      refusal_case{"bad_utf8", "{\"from\":\"1\",\"text\":\"\xC3\x28\"}",
                                   core::errc::invalid_utf8},
                      refusal_case{"no_sender", R"({"text":"hi"})", core::errc::missing_field},
                      refusal_case{"no_text", R"({"from":"13800138000"})",
                                   core::errc::missing_field},
                      refusal_case{"empty_text", R"({"from":"13800138000","text":""})",
                                   core::errc::missing_field},
                      refusal_case{"text_not_a_string", R"({"from":"13800138000","text":{"a":1}})",
                                   core::errc::invalid_field},
                      refusal_case{"too_long", R"({"from":"13800138000","text":"12345678901"})",
                                   core::errc::field_too_long},
                      refusal_case{"bad_id", R"({"from":"13800138000","text":"hi","id":"a b"})",
                                   core::errc::bad_request}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(webhook_decode, pointers_are_checked) {
  EXPECT_TRUE(valid_pointer("/from"));
  EXPECT_TRUE(valid_pointer("/data/0/text"));
  EXPECT_FALSE(valid_pointer("from"));
  EXPECT_FALSE(valid_pointer(""));
}

}  // namespace
}  // namespace intake::channels::sms
