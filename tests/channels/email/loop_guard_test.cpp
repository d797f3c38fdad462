#include "channels/email/loop_guard.hpp"

#include <gtest/gtest.h>

#include "channels/email/mime_parser.hpp"
#include "tests/channels/email/fixture_file.hpp"

namespace intake::channels::email {
namespace {

const own_identity self{"12345@mail.county.gov.cn", "mail.county.gov.cn"};

parsed_email with_headers(std::vector<std::pair<std::string, std::string>> headers,
                          std::string from = "citizen@example.cn") {
  parsed_email m;
  m.headers = std::move(headers);
  m.from_address = std::move(from);
  m.message_id = "abc@example.cn";
  return m;
}

struct guard_case {
  const char* name;
  parsed_email message;
  const char* reason;  // "" = a person wrote it
};

class guards : public ::testing::TestWithParam<guard_case> {};

TEST_P(guards, message) {
  const auto reason = automatic_reason(GetParam().message, self);
  if (*GetParam().reason == '\0') {
    EXPECT_FALSE(reason) << *reason;
  } else {
    ASSERT_TRUE(reason);
    EXPECT_EQ(*reason, GetParam().reason);
  }
}

parsed_email own_reply_came_back() {
  auto m = with_headers({});
  m.message_id = own_message_id("DDZF-001S-0063-W.1a2b", "mail.county.gov.cn");
  return m;
}
parsed_email report() {
  auto m = with_headers({});
  m.content_type = "multipart/report";
  return m;
}
parsed_email citizen_answering_our_reply() {
  auto m = with_headers({{"In-Reply-To", "<intake-reply.X@mail.county.gov.cn>"}});
  return m;
}

INSTANTIATE_TEST_SUITE_P(
    email, guards,
    ::testing::Values(
        guard_case{"person", with_headers({{"Subject", "路灯"}}), ""},
        guard_case{"auto_submitted_no", with_headers({{"Auto-Submitted", "no"}}), ""},
        guard_case{"auto_replied", with_headers({{"Auto-Submitted", "auto-replied"}}),
                   "auto_submitted"},
        guard_case{"auto_generated", with_headers({{"auto-submitted", " Auto-Generated "}}),
                   "auto_submitted"},
        guard_case{"precedence_bulk", with_headers({{"Precedence", "bulk"}}), "precedence"},
        guard_case{"precedence_list", with_headers({{"Precedence", "List"}}), "precedence"},
        guard_case{"precedence_junk", with_headers({{"Precedence", "junk"}}), "precedence"},
        guard_case{"precedence_first_class", with_headers({{"Precedence", "first-class"}}), ""},
        guard_case{"x_loop", with_headers({{"X-Loop", "someone@example.cn"}}), "x_loop"},
        guard_case{"exchange_oof", with_headers({{"X-Auto-Response-Suppress", "All"}}),
                   "auto_response_suppress"},
        guard_case{"null_return_path", with_headers({{"Return-Path", "<>"}}), "null_return_path"},
        guard_case{"real_return_path", with_headers({{"Return-Path", "<citizen@example.cn>"}}), ""},
        guard_case{"mailer_daemon", with_headers({}, "MAILER-DAEMON@mx.example.cn"),
                   "mailer_daemon"},
        guard_case{"postmaster", with_headers({}, "postmaster@example.cn"), "mailer_daemon"},
        guard_case{"from_ourselves", with_headers({}, "12345@mail.county.gov.cn"), "own_message"},
        guard_case{"our_message_id", own_reply_came_back(), "own_message"},
        guard_case{"delivery_report", report(), "delivery_report"},
        guard_case{"answer_to_our_reply", citizen_answering_our_reply(), ""}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(automatic_reason, fixtures) {
  auto ooo = parse_email(testing::read_fixture("auto_reply.eml"));
  ASSERT_TRUE(ooo);
  EXPECT_EQ(automatic_reason(*ooo, self), "auto_submitted");
  auto bounce = parse_email(testing::read_fixture("bounce.eml"));
  ASSERT_TRUE(bounce);
  EXPECT_TRUE(automatic_reason(*bounce, self));
  auto person = parse_email(testing::read_fixture("gb2312_body_gbk_subject.eml"));
  ASSERT_TRUE(person);
  EXPECT_FALSE(automatic_reason(*person, self));
}

}  // namespace
}  // namespace intake::channels::email
