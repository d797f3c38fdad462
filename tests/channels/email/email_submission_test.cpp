#include "channels/email/email_submission.hpp"

#include <gtest/gtest.h>

#include "channels/email/mime_parser.hpp"
#include "tests/channels/email/fixture_file.hpp"

namespace intake::channels::email {
namespace {

const core::sys_time received{std::chrono::seconds(1796100000)};

TEST(to_submission, takes_sender_phone_title_and_message_id_key) {
  auto m = parse_email(testing::read_fixture("gb2312_body_gbk_subject.eml"));
  ASSERT_TRUE(m);
  const auto in = to_submission(*m, "digest", {}, received);
  EXPECT_EQ(in.raw.channel, "email");
  EXPECT_EQ(in.raw.title, "喆园小区路灯不亮");
  EXPECT_EQ(in.raw.submitter.email, "zhang.san@example.cn");
  EXPECT_EQ(in.raw.submitter.phone, "+8613800138000");
  EXPECT_EQ(in.reply_address, "zhang.san@example.cn");
  EXPECT_EQ(in.raw.source_ref, "gb2312-1@example.cn");
  ASSERT_TRUE(in.raw.idempotency_key);
  EXPECT_EQ(in.raw.idempotency_key->rfind("mid:", 0), 0u);
  // The key is a hash, not the Message-ID itself.
  EXPECT_EQ(in.raw.idempotency_key->find("example.cn"), std::string::npos);
  EXPECT_EQ(in.raw.received_at, received);
}

TEST(to_submission, replies_to_reply_to_and_keys_by_digest_without_message_id) {
  parsed_email m;
  m.from_address = "Zhang.San@Example.CN";
  m.reply_to_address = "desk@example.cn";
  m.body_text = "路灯坏了";
  const auto in = to_submission(m, "abc123", {}, received);
  EXPECT_EQ(in.raw.submitter.email, "zhang.san@example.cn");
  EXPECT_EQ(in.reply_address, "desk@example.cn");
  EXPECT_EQ(in.raw.idempotency_key, "raw:abc123");
  EXPECT_FALSE(in.raw.source_ref);
}

TEST(to_submission, shortens_instead_of_refusing) {
  parsed_email m;
  m.from_address = "a@example.cn";
  m.subject = std::string(300, 'S');
  m.body_text = std::string(6000, 'x');
  pipeline::field_limits limits;
  const auto in = to_submission(m, "d", limits, received);
  EXPECT_LE(in.raw.description.size(), limits.description_max_chars);
  EXPECT_GT(in.raw.description.size(), limits.description_max_chars - 20);
  EXPECT_LE(in.raw.title->size(), limits.title_max_chars);
}

TEST(to_submission, falls_back_to_subject_then_a_note_when_there_is_no_text) {
  parsed_email m;
  m.from_address = "a@example.cn";
  m.subject = "井盖丢失";
  EXPECT_EQ(to_submission(m, "d", {}, received).raw.description, "井盖丢失");
  m.subject.clear();
  m.attachments.push_back({});
  EXPECT_NE(to_submission(m, "d", {}, received).raw.description.find("附件"), std::string::npos);
}

TEST(to_submission, an_unusable_sender_address_means_no_reply) {
  parsed_email m;
  m.from_address = "not an address";
  m.body_text = "路灯坏了";
  const auto in = to_submission(m, "d", {}, received);
  EXPECT_FALSE(in.raw.submitter.email);
  EXPECT_FALSE(in.reply_address);
}

TEST(truncate_chars, cuts_between_characters) {
  EXPECT_EQ(truncate_chars("路灯坏了", 2), "路灯");
  EXPECT_EQ(truncate_chars("ab", 5), "ab");
}

}  // namespace
}  // namespace intake::channels::email
