#include "channels/email/reply_message.hpp"

#include <gtest/gtest.h>

#include "channels/email/mime_parser.hpp"

namespace intake::channels::email {
namespace {

reply_template county() {
  reply_template t;
  t.from_address = "12345@mail.county.gov.cn";
  t.message_id_host = "mail.county.gov.cn";
  return t;
}

const core::sys_time now{std::chrono::seconds(1796100000)};

model::receipt receipt_for(const char* tracking, bool emergency = false) {
  model::receipt r;
  r.tracking_number = tracking;
  if (emergency) {
    r.urgency = model::urgency::emergency;
    r.referral = "119";
  }
  return r;
}

TEST(compose_reply, is_a_threaded_automatic_reply_with_the_tracking_number) {
  const reply_to_message original{
      "zhang.san@example.cn", "gb2312-1@example.cn", {"root@example.cn"}};
  const auto reply = compose_reply(county(), original, receipt_for("DDZF-001S-0063-W"), now, "tok");
  EXPECT_EQ(reply.message_id, "intake-reply.tok@mail.county.gov.cn");
  // Read back with the same parser the channel uses for incoming mail.
  auto parsed = parse_email(reply.text);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->subject, "来信已受理（受理编号 DDZF-001S-0063-W）");
  EXPECT_EQ(parsed->header("Auto-Submitted"), "auto-replied");
  EXPECT_EQ(parsed->header("In-Reply-To"), "<gb2312-1@example.cn>");
  EXPECT_EQ(parsed->references,
            (std::vector<std::string>{"root@example.cn", "gb2312-1@example.cn"}));
  EXPECT_EQ(parsed->header("To"), "<zhang.san@example.cn>");
  EXPECT_EQ(parsed->from_address, "12345@mail.county.gov.cn");
  EXPECT_EQ(parsed->from_name, "12345政务服务便民热线");
  EXPECT_NE(parsed->body_text.find("受理编号：DDZF-001S-0063-W"), std::string::npos);
  EXPECT_EQ(parsed->body_text.find("119"), std::string::npos);
  // Our own reply, were it to come back, is recognised by its Message-ID and headers.
  EXPECT_NE(reply.text.find("X-Loop: 12345@mail.county.gov.cn\r\n"), std::string::npos);
}

TEST(compose_reply, tells_an_emergency_to_call_the_number_now) {
  const auto reply = compose_reply(county(), {"a@example.cn", "", {}},
                                   receipt_for("DDZF-001S-0063-W", true), now, "t");
  auto parsed = parse_email(reply.text);
  ASSERT_TRUE(parsed);
  EXPECT_NE(parsed->body_text.find("请立即拨打119"), std::string::npos);
  EXPECT_FALSE(parsed->header("In-Reply-To"));
}

TEST(compose_reply, uses_a_configured_template) {
  auto t = county();
  t.subject = "Re: {tracking_number}";
  t.body = "编号 {tracking_number}{advice}";
  const auto reply = compose_reply(t, {"a@example.cn", "x@y", {}}, receipt_for("N-1"), now, "t");
  auto parsed = parse_email(reply.text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->subject, "Re: N-1");
  EXPECT_EQ(parsed->body_text, "编号 N-1");
}

TEST(encode_header_words, keeps_each_word_within_75_characters_and_whole_characters) {
  const std::string long_text(60, 'a');
  EXPECT_EQ(encode_header_words(long_text), long_text);
  std::string chinese;
  for (int i = 0; i < 40; ++i) chinese += "路";
  const auto encoded = encode_header_words(chinese);
  std::size_t start = 0;
  int words = 0;
  while (start < encoded.size()) {
    auto end = encoded.find("\r\n ", start);
    if (end == std::string::npos) end = encoded.size();
    EXPECT_LE(end - start, 75u);
    start = end + 3;
    ++words;
  }
  EXPECT_GT(words, 1);
}

TEST(rfc5322_date, formats_utc) {
  EXPECT_EQ(rfc5322_date(core::sys_time{std::chrono::seconds(0)}),
            "Thu, 01 Jan 1970 00:00:00 +0000");
}

}  // namespace
}  // namespace intake::channels::email
