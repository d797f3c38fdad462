#include "channels/wechat/message_assembler.hpp"

#include <gtest/gtest.h>

#include "channels/wechat/message_joiner.hpp"

namespace intake::channels::wechat {
namespace {

citizen_message part(std::string text) {
  citizen_message m;
  m.openid = "oCitizen0000000000000000001";
  m.replay_key = "wx:msg:" + text;
  m.text = std::move(text);
  return m;
}

TEST(message_assembler, joins_text_photo_and_place_into_one_submission) {
  auto text = part("路灯坏了一个星期");
  auto photo = part("");
  photo.photo = model::attachment{std::string(64, 'a'), "image/jpeg", 10, {}, {}};
  auto place = part("");
  place.lat = 22.54;
  place.lon = 114.06;
  place.label = "某路12号";
  const auto raw = submission_of({text, photo, place});
  EXPECT_EQ(raw.channel, "wechat");
  EXPECT_EQ(raw.description, "路灯坏了一个星期");
  ASSERT_EQ(raw.media.size(), 1u);
  EXPECT_EQ(*raw.location.lat, 22.54);
  EXPECT_EQ(*raw.location.address_string, "某路12号");
  EXPECT_EQ(*raw.submitter.openid, "oCitizen0000000000000000001");
}

TEST(message_assembler, names_a_report_that_has_no_words) {
  struct row {
    std::string name;
    std::vector<citizen_message> parts;
    std::string description;
  };
  auto photo = part("");
  photo.photo = model::attachment{std::string(64, 'a'), "image/jpeg", 10, {}, {}};
  auto lost_photo = part("");
  lost_photo.photo_missing = true;
  auto place = part("");
  place.lat = 1;
  place.lon = 2;
  const row rows[] = {
      {"photo", {photo}, "[图片]"},
      {"place", {place}, "[位置]"},
      {"photo and place", {photo, place}, "[图片] [位置]"},
      {"photo not fetched", {lost_photo}, "[图片]\n（照片未能从微信取回）"},
  };
  for (const auto& r : rows) EXPECT_EQ(submission_of(r.parts).description, r.description) << r.name;
}

TEST(message_assembler, stored_parts_read_back) {
  auto m = part("井盖丢了");
  m.photo = model::attachment{std::string(64, 'b'), "image/png", 99, {}, "https://x/media/b"};
  m.lat = 22.5;
  m.lon = 114.1;
  m.label = "某路";
  m.received_at = core::from_unix_ms(1714037059123);
  auto back = decode_part(encode_part(m));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->openid, m.openid);
  EXPECT_EQ(back->replay_key, m.replay_key);
  EXPECT_EQ(back->text, m.text);
  EXPECT_EQ(back->photo->sha256, m.photo->sha256);
  EXPECT_EQ(back->photo->size, 99u);
  EXPECT_EQ(*back->photo->url, "https://x/media/b");
  EXPECT_EQ(*back->label, "某路");
  EXPECT_EQ(back->received_at, m.received_at);
  EXPECT_FALSE(decode_part("not json"));
}

}  // namespace
}  // namespace intake::channels::wechat
