// charset.hpp, html_text.hpp, mailbox_state.hpp and quarantine.hpp: the small helpers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "channels/email/charset.hpp"
#include "channels/email/html_text.hpp"
#include "channels/email/mailbox_state.hpp"
#include "channels/email/quarantine.hpp"

namespace intake::channels::email {
namespace {

struct charset_case {
  const char* label;
  std::string bytes;
  const char* utf8;
};

class converts : public ::testing::TestWithParam<charset_case> {};

TEST_P(converts, to_utf8) {
  EXPECT_EQ(to_utf8(GetParam().bytes, GetParam().label), GetParam().utf8);
}

INSTANTIATE_TEST_SUITE_P(
    email, converts,
    ::testing::Values(
        // 镕 is E9 46 in GBK and absent from GB2312: a GB2312 label is read as GB18030.
        charset_case{"gb2312", "\xE9\x46", "镕"},
        charset_case{"GB2312", "\xD6\xD0\xCE\xC4", "中文"},
        charset_case{"gbk", "\xC2\xB7\xB5\xC6", "路灯"},
        charset_case{"\"gb18030\"", "\x95\x32\x88\x38", "𠀾"},
        charset_case{"big5", "\xB8\xF4\xBF\x4F", "路燈"},
        charset_case{"iso-8859-1", "caf\xE9", "café"}, charset_case{"iso-8859-15", "\xA4", "€"},
        charset_case{"utf-8", "路灯", "路灯"},
        // No label, or one iconv does not know: UTF-8 if valid, else GB18030.
        charset_case{"", "路灯", "路灯"}, charset_case{"x-unknown", "\xC2\xB7\xB5\xC6", "路灯"},
        // Bytes that fit nothing become U+FFFD, and the result is still UTF-8.
        charset_case{"utf-8",
                     "a\xFF"
                     "b",
                     "a\xEF\xBF\xBD"
                     "b"}),
    [](const auto& info) { return "case" + std::to_string(info.index); });

TEST(normalize_encoded_words, reads_the_gb_family_as_gb18030_and_base64_as_q) {
  EXPECT_EQ(normalize_encoded_words("=?GB2312?B?1tA=?= x =?gbk?Q?=D6=D0?= =?utf-8?b?5Lit?="),
            "=?gb18030?Q?=D6=D0?= x =?gb18030?Q?=D6=D0?= =?utf-8?Q?=E4=B8=AD?=");
  EXPECT_EQ(normalize_encoded_words("plain = ? text =?x"), "plain = ? text =?x");
  EXPECT_EQ(normalize_encoded_words("=?gb2312*zh-cn?B?1tA=?="), "=?gb18030?Q?=D6=D0?=");
}

struct html_case {
  const char* html;
  const char* text;
};
class html : public ::testing::TestWithParam<html_case> {};
TEST_P(html, to_text) {
  EXPECT_EQ(html_to_text(GetParam().html), GetParam().text);
}
INSTANTIATE_TEST_SUITE_P(email, html,
                         ::testing::Values(html_case{"<p>路灯</p><p>坏了</p>", "路灯\n坏了"},
                                           html_case{"a<br>b<br/>c", "a\nb\nc"},
                                           html_case{"<style>p{}</style><script>x()</script>正文",
                                                     "正文"},
                                           html_case{"&lt;b&gt; &amp; &#x4E2D;&#25991; &unknown;",
                                                     "<b> & 中文 &unknown;"},
                                           html_case{"<div>one\n  two</div>", "one two"},
                                           html_case{"<!-- hidden -->shown", "shown"}),
                         [](const auto& info) { return "case" + std::to_string(info.index); });

class scratch_dir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("email-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(scratch_dir, mailbox_state_round_trips_and_starts_fresh) {
  const auto path = (dir_ / "state.json").string();
  EXPECT_EQ(load_mailbox_state(path), mailbox_state{});
  ASSERT_TRUE(save_mailbox_state(path, {1796182503, 42}));
  EXPECT_EQ(load_mailbox_state(path), (mailbox_state{1796182503, 42}));
}

TEST_F(scratch_dir, quarantine_keeps_the_copy_and_the_reason) {
  const auto dir = (dir_ / "q").string();
  const core::sys_time t{std::chrono::seconds(1796100000)};
  ASSERT_TRUE(quarantine_message(dir, 7, 3, "raw bytes", 9, "unparseable", "no mail headers", t));
  ASSERT_TRUE(quarantine_message(dir, 7, 4, "", 99999999, "too_large", "over the cap",
                                 t + std::chrono::seconds(1)));
  const auto entries = list_quarantine(dir);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].name, "7-3");
  EXPECT_EQ(entries[0].reason, "unparseable");
  EXPECT_TRUE(entries[0].has_copy);
  EXPECT_TRUE(std::filesystem::exists(dir + "/7-3.eml"));
  EXPECT_FALSE(entries[1].has_copy);
  const auto table = format_quarantine(entries, false);
  EXPECT_NE(table.find("unparseable"), std::string::npos);
  EXPECT_NE(table.find("(no copy)"), std::string::npos);
  EXPECT_EQ(list_quarantine((dir_ / "absent").string()).size(), 0u);
}

}  // namespace
}  // namespace intake::channels::email
