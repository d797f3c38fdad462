#include "channels/api/api_decode.hpp"

#include <gtest/gtest.h>

namespace intake::channels::api {
namespace {

struct decode_case {
  std::string name;
  std::string content_type;
  std::string body;
  std::optional<std::string> key;
  std::optional<core::errc> error;  // nothing: accepted
};

TEST(decode_submission, table) {
  const std::string ok = R"({"description":"路灯不亮"})";
  const std::vector<decode_case> cases = {
      {"minimal", "application/json", ok, {}, {}},
      {"charset utf-8", "application/json; charset=UTF-8", ok, {}, {}},
      {"with key", "application/json", ok, "abc-123", {}},
      {"text/plain", "text/plain", ok, {}, core::errc::unsupported_media_type},
      {"no content type", "", ok, {}, core::errc::unsupported_media_type},
      {"gbk charset", "application/json; charset=gbk", ok, {}, core::errc::unsupported_media_type},
      {"truncated", "application/json", R"({"description":"路灯)", {}, core::errc::malformed_json},
      {"trailing garbage", "application/json", ok + "x", {}, core::errc::malformed_json},
      {"array", "application/json", "[1,2]", {}, core::errc::malformed_json},
      {"empty", "application/json", "", {}, core::errc::malformed_json},
      {"invalid utf-8",
       "application/json",
       "{\"description\":\"\xff\xfe\"}",
       {},
       core::errc::invalid_utf8},
      {"no description", "application/json", R"({"title":"x"})", {}, core::errc::missing_field},
      {"description number",
       "application/json",
       R"({"description":5})",
       {},
       core::errc::invalid_field},
      {"lat string",
       "application/json",
       R"({"description":"x","location":{"lat":"22"}})",
       {},
       core::errc::invalid_field},
      {"submitter string",
       "application/json",
       R"({"description":"x","submitter":"me"})",
       {},
       core::errc::invalid_field},
      {"key with space", "application/json", ok, "a b", core::errc::bad_request},
      {"key too long", "application/json", ok, std::string(129, 'k'), core::errc::bad_request},
  };
  for (const auto& c : cases) {
    std::optional<std::string_view> key;
    if (c.key) key = *c.key;
    auto r = decode_submission(c.content_type, c.body, key, core::system_now());
    if (c.error) {
      ASSERT_FALSE(r) << c.name;
      EXPECT_EQ(r.error().code, *c.error) << c.name << ": " << r.error().message;
    } else {
      ASSERT_TRUE(r) << c.name << ": " << r.error().message;
      EXPECT_EQ(r->channel, "api");
    }
  }
}

TEST(decode_submission, reads_every_field) {
  const std::string body = R"({ "description": "小区门口路灯坏了一个星期", "title": "路灯不亮",
    "submitter": { "name": "张三", "phone": "13800138000", "email": "a@example.cn" },
    "location": { "address_string": "某路12号", "lat": 22.54, "long": 114.06, "asset_id": "LAMP-0123",
                  "address_id": "A-1" },
    "service_code": "urban.lighting", "unknown_extra": true })";
  auto r = decode_submission("application/json", body, std::string_view("k1"), core::system_now());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->description, "小区门口路灯坏了一个星期");
  EXPECT_EQ(r->title, "路灯不亮");
  EXPECT_EQ(r->submitter.name, "张三");
  EXPECT_EQ(r->submitter.phone, "13800138000");
  EXPECT_EQ(r->submitter.email, "a@example.cn");
  EXPECT_EQ(r->location.address_string, "某路12号");
  EXPECT_DOUBLE_EQ(*r->location.lat, 22.54);
  EXPECT_DOUBLE_EQ(*r->location.lon, 114.06);
  EXPECT_EQ(r->location.asset_id, "LAMP-0123");
  EXPECT_EQ(r->location.address_id, "A-1");
  EXPECT_EQ(r->service_code, "urban.lighting");
  EXPECT_EQ(r->idempotency_key, "k1");
}

}  // namespace
}  // namespace intake::channels::api
