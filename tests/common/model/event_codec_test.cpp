#include "common/model/event_codec.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace intake::model {
namespace {

TEST(encode_event, carries_the_contract_attributes) {
  submission s;
  s.channel = "api";
  s.description = "路灯 \"坏了\"";
  s.description_original = "路灯\t\"坏了\"";
  s.received_at = core::from_unix_ms(1'700'000'000'123);
  s.location.lat = 22.54;
  s.location.lon = 114.06;
  s.location.asset_id = "LAMP-0123";
  s.person.phone = "+8613800138000";
  s.person.phone_masked = "138****8000";
  s.person.ref = std::string(32, 'a');
  s.triage.urgency = urgency::emergency;
  s.triage.referral = "119";
  s.media.push_back({std::string(64, 'f'), "image/jpeg", 1234, "p.jpg", std::nullopt});
  dedup_result d;
  const auto json = encode_event(s, d, {"EV-1", event_source("440303", "county-01"), "T-1"});

  rapidjson::Document doc;
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError()) << json;
  EXPECT_STREQ(doc["specversion"].GetString(), "1.0");
  EXPECT_STREQ(doc["id"].GetString(), "EV-1");
  EXPECT_STREQ(doc["source"].GetString(), "urn:intake-edge:440303:county-01");
  EXPECT_STREQ(doc["type"].GetString(), "cn.gov.12345.intake.request");
  EXPECT_STREQ(doc["subject"].GetString(), "T-1");
  EXPECT_STREQ(doc["time"].GetString(), "2023-11-14T22:13:20.123Z");
  EXPECT_STREQ(doc["datacontenttype"].GetString(), "application/json");
  const auto& data = doc["data"];
  EXPECT_STREQ(data["tracking_number"].GetString(), "T-1");
  EXPECT_STREQ(data["description"].GetString(), "路灯 \"坏了\"");
  EXPECT_DOUBLE_EQ(data["long"].GetDouble(), 114.06);
  EXPECT_STREQ(data["triage"]["urgency"].GetString(), "emergency");
  EXPECT_STREQ(data["triage"]["referral"].GetString(), "119");
  EXPECT_TRUE(data["triage"]["statutory_route"].IsNull());
  EXPECT_STREQ(data["dedup"]["status"].GetString(), "new");
  EXPECT_TRUE(data["dedup"]["duplicate_of"].IsNull());
  EXPECT_EQ(data["media"][0]["size"].GetUint64(), 1234u);
  EXPECT_TRUE(data["source_ref"].IsNull());
  EXPECT_FALSE(data.HasMember("title"));
}

TEST(encode_event, duplicates_have_their_own_type) {
  submission s;
  s.channel = "sms";
  s.description = "x";
  dedup_result d;
  d.status = dedup_status::duplicate;
  d.duplicate_of = "T-0";
  d.similarity = 0.9;
  d.repeat_count = 1;
  rapidjson::Document doc;
  doc.Parse(encode_event(s, d, {"EV-2", "urn:intake-edge:440303:c", "T-0"}).c_str());
  EXPECT_STREQ(doc["type"].GetString(), "cn.gov.12345.intake.duplicate");
  EXPECT_STREQ(doc["data"]["dedup"]["duplicate_of"].GetString(), "T-0");
  EXPECT_EQ(doc["data"]["dedup"]["repeat_count"].GetInt(), 1);
}

TEST(encode_event, writes_the_submitter_sealed_or_in_clear_never_both_by_itself) {
  struct case_row {
    const char* what;
    std::optional<std::string> sealed, name, phone;
    std::vector<const char*> present, absent;
  };
  const std::vector<case_row> cases = {
      {"sealed",
       "c2VhbGVk",
       std::nullopt,
       std::nullopt,
       {"ref", "phone_masked", "sealed"},
       {"name", "phone", "email", "openid"}},
      {"clear",
       std::nullopt,
       "张三",
       "+8613800138000",
       {"ref", "phone_masked", "name", "phone"},
       {"sealed", "email", "openid"}},
  };
  for (const auto& c : cases) {
    submission s;
    s.channel = "api";
    s.description = "x";
    s.person.ref = std::string(32, 'a');
    s.person.phone_masked = "138****8000";
    s.person.sealed = c.sealed;
    s.person.name = c.name;
    s.person.phone = c.phone;
    rapidjson::Document doc;
    doc.Parse(encode_event(s, {}, {"EV-3", "urn:intake-edge:440303:c", "T-3"}).c_str());
    ASSERT_FALSE(doc.HasParseError()) << c.what;
    const auto& person = doc["data"]["submitter"];
    for (const auto* key : c.present) EXPECT_TRUE(person.HasMember(key)) << c.what << ": " << key;
    for (const auto* key : c.absent) EXPECT_FALSE(person.HasMember(key)) << c.what << ": " << key;
  }
  submission s;
  s.channel = "api";
  s.description = "x";
  s.person.sealed = "c2VhbGVk";
  rapidjson::Document doc;
  doc.Parse(encode_event(s, {}, {"EV-4", "urn:intake-edge:440303:c", "T-4"}).c_str());
  EXPECT_STREQ(doc["data"]["submitter"]["sealed"].GetString(), "c2VhbGVk");
}

}  // namespace
}  // namespace intake::model
