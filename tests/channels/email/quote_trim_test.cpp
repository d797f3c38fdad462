#include "channels/email/quote_trim.hpp"

#include <gtest/gtest.h>

#include "channels/email/mime_parser.hpp"
#include "tests/channels/email/fixture_file.hpp"

namespace intake::channels::email {
namespace {

struct trim_case {
  const char* name;
  const char* body;
  const char* expected;
  bool trimmed;
};

class trims : public ::testing::TestWithParam<trim_case> {};

TEST_P(trims, body) {
  const auto out = trim_quoted(GetParam().body);
  EXPECT_EQ(out.text, GetParam().expected);
  EXPECT_EQ(out.trimmed, GetParam().trimmed);
}

INSTANTIATE_TEST_SUITE_P(
    email, trims,
    ::testing::Values(
        trim_case{"plain", "路灯坏了\n请维修", "路灯坏了\n请维修", false},
        trim_case{"quoted_lines", "还没修好\n> 已收到\n> 编号 X", "还没修好", true},
        trim_case{"english_attribution",
                  "Still broken.\n\nOn Mon, 30 Nov 2026, 12345 <a@b.cn> wrote:\n> received",
                  "Still broken.", true},
        trim_case{"chinese_attribution", "仍未解决\n在 2026年11月30日，12345 写道：\n> 已受理",
                  "仍未解决", true},
        trim_case{"original_message", "补充照片\n-----原始邮件-----\n发件人: a\n主题: b\n\n旧内容",
                  "补充照片", true},
        trim_case{"qq_original", "补充\n------------------ 原始邮件 ------------------\n发件人: x",
                  "补充", true},
        trim_case{"outlook_block",
                  "补充一下\n\n发件人: 张三\n发送时间: 2026\n收件人: 12345\n主题: 噪音\n\n旧",
                  "补充一下", true},
        trim_case{"signature", "噪音扰民\n-- \n张三\n13800138000", "噪音扰民", true},
        trim_case{"forward_only",
                  "---------- Forwarded message ---------\nFrom: 李四 <l@x.cn>\nDate: "
                  "2026\nSubject: 杂物\n\n楼道堆满杂物",
                  "楼道堆满杂物", true},
        trim_case{"forward_with_note",
                  "请处理下面的问题\n\n-------- 转发邮件信息 --------\n发件人: a\n\n旧",
                  "请处理下面的问题", true},
        trim_case{"only_quotes", "> 只有引用", "> 只有引用", true},
        trim_case{"ideographic_indent", "\xE3\x80\x80\xE3\x80\x80路灯坏了", "路灯坏了", false}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(trim_quoted, fixtures_keep_what_the_citizen_wrote) {
  auto reply = parse_email(testing::read_fixture("reply_quoted.eml"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(trim_quoted(reply->body_text).text, "问题还没有解决，小区门口仍然乱停车。");
  auto forwarded = parse_email(testing::read_fixture("forwarded.eml"));
  ASSERT_TRUE(forwarded);
  EXPECT_EQ(trim_quoted(forwarded->body_text).text, "5号楼2单元楼道堆满杂物，存在消防隐患。");
  auto outlook = parse_email(testing::read_fixture("outlook_quoted.eml"));
  ASSERT_TRUE(outlook);
  EXPECT_EQ(trim_quoted(outlook->body_text).text, "补充一下：噪音每天晚上11点以后开始。");
}

}  // namespace
}  // namespace intake::channels::email
