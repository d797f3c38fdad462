#include "channels/qrcode/qrcode_channel.hpp"

#include "channels/qrcode/qr_settings.hpp"
#include "channels/qrcode/revocation_list.hpp"
#include "tests/channels/web/page_fixture.hpp"

namespace intake::channels::qrcode {
namespace {

using web::testing::form_body;

class qrcode_test : public web::testing::page_fixture {
 protected:
  void SetUp() override { start(make_channel(), "[channels.qrcode]\nenabled = true\n"); }

  std::string issue(const qr_asset& asset, const std::string& id) {
    return *qr_signer(qr_signing_key(*cfg_)).issue(asset, id);
  }
};

const qr_asset lamp{"LAMP-0123", "某路12号", 22.54, 114.06, "urban.lighting"};

TEST_F(qrcode_test, landing_page_shows_the_fixed_place) {
  const auto token = issue(lamp, "ABCDEFGH");
  auto page = get("/q/" + token);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("路灯照明 LAMP-0123，某路12号"), std::string::npos);
  EXPECT_EQ(page.body.find("id=\"address\""), std::string::npos);
  EXPECT_NE(page.body.find("action=\"/q/" + token + "\""), std::string::npos);
}

TEST_F(qrcode_test, submission_carries_the_verified_place) {
  const auto token = issue(lamp, "ABCDEFGH");
  auto answer = post_form("/q/" + token, form_body({{"token", token_in(get("/q/" + token).body)},
                                                    {"description", "这盏路灯不亮了"},
                                                    {"address", "somewhere else"}}));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto stored = events();
  ASSERT_EQ(stored.size(), 1u);
  const auto& p = stored[0].payload;
  EXPECT_NE(p.find("\"channel\":\"qrcode\""), std::string::npos) << p;
  EXPECT_NE(p.find("\"asset_id\":\"LAMP-0123\""), std::string::npos);
  EXPECT_NE(p.find("\"address_string\":\"某路12号\""), std::string::npos);
  EXPECT_NE(p.find("\"location_verified\":true"), std::string::npos);
  EXPECT_NE(p.find("\"source_ref\":\"ABCDEFGH\""), std::string::npos);
  EXPECT_NE(p.find("\"service_code\":\"urban.lighting\""), std::string::npos);
  EXPECT_EQ(p.find("somewhere else"), std::string::npos);
}

TEST_F(qrcode_test, bad_and_revoked_codes_get_a_clear_page_and_store_nothing) {
  const auto token = issue(lamp, "ABCDEFGH");
  const auto page_token = token_in(get("/q/" + token).body);
  std::string altered = token;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  const std::vector<std::pair<std::string, int>> cases = {
      {"/q/" + altered, 400},
      {"/q/" + token.substr(0, token.size() - 4), 400},
      {"/q/" + issue(lamp, "ABCDEFGH").substr(0, 20), 400},
      {"/q/hello", 400},
  };
  for (const auto& [target, status] : cases) {
    EXPECT_EQ(get(target).status, status) << target;
    auto posted = post_form(target, form_body({{"token", page_token}, {"description", "路灯"}}));
    EXPECT_EQ(posted.status, status) << target;
    EXPECT_NE(posted.body.find("12345"), std::string::npos) << "the page says what to do";
  }
  ASSERT_TRUE(revocation_list::add(revocation_path(*cfg_), "ABCDEFGH"));
  EXPECT_EQ(get("/q/" + token).status, 410);
  EXPECT_EQ(
      post_form("/q/" + token, form_body({{"token", page_token}, {"description", "路灯"}})).status,
      410);
  EXPECT_TRUE(events().empty());
}

TEST_F(qrcode_test, a_page_token_of_one_code_does_not_serve_another) {
  const auto first = issue(lamp, "ABCDEFGH");
  const auto second = issue(lamp, "IJKLMNOP");
  auto answer =
      post_form("/q/" + second,
                form_body({{"token", token_in(get("/q/" + first).body)}, {"description", "路灯"}}));
  EXPECT_EQ(answer.status, 403);
  EXPECT_TRUE(events().empty());
}

TEST_F(qrcode_test, other_citizens_reporting_the_same_fault_are_linked_to_the_first) {
  const auto token = issue(lamp, "ABCDEFGH");
  const std::vector<std::pair<std::string, std::string>> reports = {
      {"13800138000", "这盏路灯晚上不亮了"},
      {"13900139000", "这盏路灯晚上不亮"},
  };
  std::vector<std::string> numbers;
  for (const auto& [phone, text] : reports) {
    auto answer = post_form("/q/" + token, form_body({{"token", token_in(get("/q/" + token).body)},
                                                      {"description", text},
                                                      {"phone", phone}}));
    ASSERT_EQ(answer.status, 200);
    numbers.push_back(tracking_in(answer.body));
  }
  EXPECT_NE(numbers[0], numbers[1]) << "each citizen gets a number of their own";
  const auto stored = events();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_NE(stored[1].topic.find("/duplicate"), std::string::npos);
  EXPECT_NE(stored[1].payload.find("\"duplicate_of\":\"" + numbers[0] + "\""), std::string::npos);
  EXPECT_NE(stored[1].payload.find("\"repeat_count\":1"), std::string::npos);
}

}  // namespace
}  // namespace intake::channels::qrcode
