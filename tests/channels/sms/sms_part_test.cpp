#include "channels/sms/sms_part.hpp"

#include <gtest/gtest.h>

namespace intake::channels::sms {
namespace {

joiner::part part_of(const std::string& key, const stored_sms& s, std::int64_t ms) {
  return joiner::part{key, s.gateway_id.empty() ? "" : "gateway:" + s.gateway_id,
                      encode_part_body(s), core::from_unix_ms(ms)};
}

TEST(sms_part, body_round_trip) {
  stored_sms s{"路灯坏了", "12345", "id-1", "fake", model::undecodable_text{1, "GBK", "c2b781"},
               true};
  auto back = decode_part_body(encode_part_body(s));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->text, s.text);
  EXPECT_EQ(back->receiver, "12345");
  EXPECT_EQ(back->gateway_id, "id-1");
  EXPECT_EQ(back->smsc, "fake");
  ASSERT_TRUE(back->undecodable);
  EXPECT_EQ(back->undecodable->raw_hex, "c2b781");
  EXPECT_TRUE(back->emergency_replied);
  EXPECT_FALSE(decode_part_body("not json"));
}

TEST(sms_part, sender_keys) {
  EXPECT_EQ(sender_key("+86 138-0013-8000"), "+8613800138000");
  EXPECT_EQ(sender_key("13800138000"), "+8613800138000");
  EXPECT_EQ(sender_key("10086"), "raw:10086");
  EXPECT_EQ(sender_phone("+8613800138000"), "+8613800138000");
  EXPECT_FALSE(sender_phone("raw:10086"));
}

TEST(sms_part, window_joins_in_order_with_flags_per_part) {
  joiner::window w;
  w.key = "+8613800138000";
  w.token = "DDZF-001S-0063-W";
  w.parts.push_back(part_of(w.key, {"小区门口路灯", "12345", "a", "", std::nullopt, false}, 1000));
  w.parts.push_back(part_of(
      w.key, {"坏了\xEF\xBF\xBD", "12345", "b", "", model::undecodable_text{1, "GBK", "81"}, false},
      2000));
  w.parts.push_back(part_of(w.key, {"一个星期", "12345", "", "", std::nullopt, false}, 3000));
  auto raw = joined_submission(w);
  ASSERT_TRUE(raw) << raw.error().message;
  EXPECT_EQ(raw->channel, "sms");
  EXPECT_EQ(raw->description, "小区门口路灯\n坏了\xEF\xBF\xBD\n一个星期");
  EXPECT_EQ(raw->submitter.phone, "+8613800138000");
  EXPECT_EQ(raw->reserved_tracking_number, w.token);
  EXPECT_EQ(raw->idempotency_key, "window:" + w.token);
  EXPECT_EQ(raw->source_ref, "a,b");
  ASSERT_EQ(raw->undecodable.size(), 1u);
  EXPECT_EQ(raw->undecodable[0].part, 2);
  EXPECT_EQ(core::to_unix_ms(raw->received_at), 1000);
}

TEST(sms_part, a_sender_that_is_no_phone_is_left_out) {
  joiner::window w;
  w.key = "raw:ALERTS";
  w.token = "DDZF-001S-0063-W";
  w.parts.push_back(part_of(w.key, {"text", "", "", "", std::nullopt, false}, 1));
  auto raw = joined_submission(w);
  ASSERT_TRUE(raw);
  EXPECT_FALSE(raw->submitter.phone);
  EXPECT_FALSE(raw->source_ref);
}

}  // namespace
}  // namespace intake::channels::sms
