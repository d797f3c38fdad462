#include "channels/email/mime_parser.hpp"

#include <gtest/gtest.h>

#include "channels/email/email_submission.hpp"
#include "tests/channels/email/fixture_file.hpp"

namespace intake::channels::email {
namespace {

using testing::read_fixture;

struct parse_case {
  const char* fixture;
  const char* subject;            // exact decoded subject
  const char* body_contains;      // a piece of the chosen body text
  const char* body_not_contains;  // something that must not be in it ("" for none)
  const char* charset;            // the label the chosen part declared
  bool from_html;
};

class parses : public ::testing::TestWithParam<parse_case> {};

TEST_P(parses, fixture) {
  const auto& c = GetParam();
  auto m = parse_email(read_fixture(c.fixture));
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->subject, c.subject);
  EXPECT_NE(m->body_text.find(c.body_contains), std::string::npos) << m->body_text;
  if (*c.body_not_contains) {
    EXPECT_EQ(m->body_text.find(c.body_not_contains), std::string::npos) << m->body_text;
  }
  EXPECT_EQ(m->body_charset, c.charset);
  EXPECT_EQ(m->body_from_html, c.from_html);
  EXPECT_EQ(m->body_text.find("\xEF\xBF\xBD"), std::string::npos) << m->body_text;
}

INSTANTIATE_TEST_SUITE_P(
    email, parses,
    ::testing::Values(
        // GB2312 label on GBK bytes: 镕 and 喆 exist only in GBK/GB18030.
        parse_case{"gb2312_body_gbk_subject.eml", "喆园小区路灯不亮", "朱镕路也一样", "", "gb2312",
                   false},
        parse_case{"big5.eml", "路燈壞了", "社區門口的路燈壞了一個星期", "", "big5", false},
        parse_case{"utf8_qp.eml", "红绿灯故障",
                   "中山路与解放路交叉口的红绿灯坏了，早晚高峰非常拥堵", "", "utf-8", false},
        parse_case{"html_only.eml", "垃圾未清运",
                   "小区垃圾 三天没有清运&气味很大。\n地址：幸福路12号", "alert", "utf-8", true},
        parse_case{"alternative.eml", "噪音扰民", "纯文本版本：工地夜间施工噪音扰民", "HTML版本",
                   "gbk", false},
        parse_case{"jpeg_attachment.eml", "井盖破损（附照片）", "井盖破损，照片见附件", "", "utf-8",
                   false},
        parse_case{"malformed_rfc2047.eml", "井盖丢失", "王府井大街井盖丢失", "", "utf-8", false},
        parse_case{"raw_8bit_header.eml", "道路积水", "下雨后道路积水严重", "", "x-unknown", false},
        parse_case{"iso8859_1.eml", "Café noise", "The café next door", "", "iso-8859-1", false},
        parse_case{"iso8859_15.eml", "Parking fine", "fined 200 € for parking", "", "iso-8859-15",
                   false},
        parse_case{"gb18030.eml", "户籍问题", "生僻字𠀾", "", "gb18030", false}),
    [](const auto& info) {
      std::string name = info.param.fixture;
      return name.substr(0, name.find('.'));
    });

TEST(parse_email, reads_sender_and_thread_headers) {
  auto m = parse_email(read_fixture("reply_quoted.eml"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->message_id, "reply-1@example.cn");
  EXPECT_EQ(m->from_address, "zhang.san@example.cn");
  EXPECT_EQ(m->in_reply_to, "old-1@example.cn");
  EXPECT_EQ(m->references, (std::vector<std::string>{"root-1@example.cn", "old-1@example.cn"}));
}

TEST(parse_email, decodes_a_gb2312_display_name) {
  auto m = parse_email(read_fixture("malformed_rfc2047.eml"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->from_name, "王五");
  EXPECT_EQ(m->from_address, "wang.wu@example.cn");
}

TEST(parse_email, reads_an_address_whose_encoded_name_holds_a_comma) {
  // "张三, 市民" encoded: decoding before parsing the list would split it in two.
  auto m = parse_email(
      "From: =?utf-8?B?5byg5LiJLCDluILmsJE=?= <zhang.san@example.cn>\r\n"
      "Reply-To: \"=?gbk?B?1cXI/Q==?=\" <desk@example.cn>\r\nSubject: x\r\n\r\nbody\r\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->from_address, "zhang.san@example.cn");
  EXPECT_EQ(m->from_name, "张三, 市民");
  EXPECT_EQ(m->reply_to_address, "desk@example.cn");
}

TEST(parse_email, keeps_a_jpeg_attachment_with_its_decoded_name) {
  auto m = parse_email(read_fixture("jpeg_attachment.eml"));
  ASSERT_TRUE(m);
  ASSERT_EQ(m->attachments.size(), 1u);
  const auto& a = m->attachments[0];
  EXPECT_EQ(a.name, "井盖.jpg");
  EXPECT_EQ(a.declared_type, "image/jpeg");
  EXPECT_EQ(a.bytes.substr(0, 3), "\xFF\xD8\xFF");
  EXPECT_FALSE(a.over_cap);
}

TEST(parse_email, drops_the_bytes_of_an_attachment_over_the_cap_but_takes_the_message) {
  parse_limits limits;
  limits.max_attachment_bytes = 50;  // the fixture's JPEG is 91 bytes
  auto m = parse_email(read_fixture("jpeg_attachment.eml"), limits);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->attachments.size(), 1u);
  EXPECT_TRUE(m->attachments[0].over_cap);
  EXPECT_TRUE(m->attachments[0].bytes.empty());
  EXPECT_EQ(m->attachments[0].size, 91u);
}

struct broken_case {
  const char* fixture;
  const char* reason;
};
class refuses : public ::testing::TestWithParam<broken_case> {};

TEST_P(refuses, fixture) {
  auto m = parse_email(read_fixture(GetParam().fixture));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, core::errc::bad_request);
  EXPECT_EQ(m.error().message, GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(email, refuses,
                         ::testing::Values(broken_case{"broken_mime.eml", "broken MIME structure"},
                                           broken_case{"garbage.eml", "not a mail message"}),
                         [](const auto& info) {
                           std::string name = info.param.fixture;
                           return name.substr(0, name.find('.'));
                         });

TEST(parse_email, refuses_empty_input) {
  EXPECT_FALSE(parse_email(""));
}

}  // namespace
}  // namespace intake::channels::email
