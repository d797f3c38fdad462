#include "channels/webform/webform_channel.hpp"

#include "tests/channels/web/page_fixture.hpp"

namespace intake::channels::webform {
namespace {

using namespace std::string_literals;
using web::testing::form_body;
namespace bhttp = boost::beast::http;

class webform_test : public web::testing::page_fixture {
 protected:
  void SetUp() override {
    start(make_channel(),
          "[channels.webform]\nenabled = true\nposts_per_minute_per_ip = 4\n"
          "posts_per_hour_per_phone = 2\nfield_max_bytes = 8192\nbody_limit = \"1MiB\"\n");
  }
  std::string fresh_token(const std::string& target = "/form") {
    return token_in(get(target).body);
  }
};

TEST_F(webform_test, form_page_is_served_in_both_languages) {
  auto zh = get("/form");
  EXPECT_EQ(zh.status, 200);
  EXPECT_EQ(zh.response[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(zh.response[bhttp::field::cache_control], "no-store");
  EXPECT_NE(zh.body.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_FALSE(token_in(zh.body).empty());
  auto en = get("/form?lang=en");
  EXPECT_NE(en.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(en.body.find("name=\"lang\" value=\"en\""), std::string::npos);
}

TEST_F(webform_test, submission_gets_a_receipt_and_a_repeat_gets_the_same_one) {
  const auto token = fresh_token();
  const auto body = form_body({{"token", token},
                               {"description", "小区门口路灯坏了一个星期"},
                               {"name", "张三"},
                               {"phone", "13800138000"}});
  auto first = post_form("/form", body);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto number = tracking_in(first.body);
  ASSERT_FALSE(number.empty());
  // A second press of the button, or a reload of the POST, sends the same page token.
  auto second = post_form("/form", body);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(tracking_in(second.body), number);
  const auto stored = events();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_NE(stored[0].payload.find("\"channel\":\"webform\""), std::string::npos);
}

TEST_F(webform_test, refusals_store_nothing) {
  const auto token = fresh_token();
  const auto ok = [&](std::vector<std::pair<std::string, std::string>> more) {
    std::vector<std::pair<std::string, std::string>> fields = {{"token", token},
                                                               {"description", "路灯坏了"}};
    fields.insert(fields.end(), more.begin(), more.end());
    return form_body(fields);
  };
  struct refusal {
    std::string name;
    std::string body;
    std::string content_type;
    int status;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  const std::string form = "application/x-www-form-urlencoded";
  const std::vector<refusal> cases = {
      {"honeypot filled", ok({{"website", "http://spam.example"}}), form, 400, {}},
      {"forged token", form_body({{"token", "1.2.3"}, {"description", "x"}}), form, 403, {}},
      {"no token", form_body({{"description", "x"}}), form, 403, {}},
      {"token edited",
       form_body({{"token", token_in(get("/form").body).replace(0, 1, "9")}, {"description", "x"}}),
       form,
       403,
       {}},
      {"cross-site origin", ok({}), form, 403, {{"Origin", "https://evil.example"}}},
      {"cross-site fetch", ok({}), form, 403, {{"Sec-Fetch-Site", "cross-site"}}},
      {"bad %-escape", "token=" + token + "&description=%zz", form, 400, {}},
      {"json", R"({"description":"x"})", "application/json", 415, {}},
      {"multipart without boundary", ok({}), "multipart/form-data", 400, {}},
      {"multipart cut short",
       "--b\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nx",
       "multipart/form-data; boundary=b",
       400,
       {}},
      {"field over the limit", ok({{"title", std::string(9000, 'x')}}), form, 413, {}},
      {"missing description",
       form_body({{"token", token}, {"phone", "13800138000"}}),
       form,
       422,
       {}},
  };
  for (const auto& c : cases) {
    auto answer = request(bhttp::verb::post, "/form", c.body, c.content_type,
                          "10.0.0." + std::to_string(&c - cases.data()), c.headers);
    EXPECT_EQ(answer.status, c.status) << c.name;
    EXPECT_NE(answer.body.find("<html lang="), std::string::npos) << c.name << ": a page, not JSON";
  }
  EXPECT_TRUE(events().empty());
}

TEST_F(webform_test, errors_keep_the_input_beside_each_field) {
  const auto token = fresh_token();
  auto answer = post_form("/form", form_body({{"token", token},
                                              {"name", "张<三>"},
                                              {"phone", "12"},
                                              {"email", "a@b"},
                                              {"lang", "en"}}));
  EXPECT_EQ(answer.status, 422);
  EXPECT_NE(answer.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(answer.body.find("value=\"张&lt;三&gt;\""), std::string::npos);
  EXPECT_NE(answer.body.find("id=\"description-error\""), std::string::npos);
  EXPECT_NE(answer.body.find("id=\"phone-error\""), std::string::npos);
  EXPECT_NE(answer.body.find("id=\"email-error\""), std::string::npos);
  EXPECT_EQ(token_in(answer.body), token) << "the same page token, so the retry stays one request";
  // Corrected, it goes through with that token.
  auto fixed = post_form("/form", form_body({{"token", token}, {"description", "路灯坏了"}}));
  EXPECT_EQ(fixed.status, 200);
  EXPECT_EQ(events().size(), 1u);
}

TEST_F(webform_test, expired_page_keeps_input_and_gets_a_new_token) {
  const auto token = fresh_token();
  clock_offset_s_ = 7201;
  auto answer = post_form("/form", form_body({{"token", token}, {"description", "路灯坏了"}}));
  EXPECT_EQ(answer.status, 422);
  EXPECT_NE(answer.body.find("路灯坏了</textarea>"), std::string::npos);
  const auto renewed = token_in(answer.body);
  EXPECT_NE(renewed, token);
  EXPECT_TRUE(events().empty());
  auto again = post_form("/form", form_body({{"token", renewed}, {"description", "路灯坏了"}}));
  EXPECT_EQ(again.status, 200);
}

TEST_F(webform_test, per_address_rate_limit) {
  int accepted = 0, limited = 0;
  for (int i = 0; i < 6; ++i) {
    auto answer =
        post_form("/form",
                  form_body({{"token", fresh_token()},
                             {"description", "第" + std::to_string(i) + "个问题：路灯坏了"}}),
                  "192.0.2.1");
    if (answer.status == 200) ++accepted;
    if (answer.status == 429) {
      ++limited;
      EXPECT_EQ(answer.response[bhttp::field::retry_after], "5");
      EXPECT_NE(answer.body.find("路灯坏了</textarea>"), std::string::npos) << "input kept";
    }
  }
  EXPECT_EQ(accepted, 4);
  EXPECT_EQ(limited, 2);
  // Another address is not affected.
  EXPECT_EQ(post_form("/form", form_body({{"token", fresh_token()}, {"description", "井盖丢了"}}),
                      "192.0.2.2")
                .status,
            200);
}

TEST_F(webform_test, per_phone_rate_limit_counts_the_number_not_its_spelling) {
  const std::vector<std::string> spellings = {"13800138000", "+86 138-0013-8000",
                                              "0086 138 0013 8000"};
  std::vector<int> statuses;
  for (std::size_t i = 0; i < spellings.size(); ++i) {
    statuses.push_back(
        post_form("/form",
                  form_body({{"token", fresh_token()},
                             {"description", "问题" + std::to_string(i) + "：噪声扰民很严重"},
                             {"phone", spellings[i]}}),
                  "198.51.100." + std::to_string(i))
            .status);
  }
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 429}));
}

TEST_F(webform_test, photos_are_stored_and_listed_with_a_signed_url) {
  const std::string jpeg = "\xff\xd8\xff\xe0\x00\x10JFIF\x00"s + std::string(500, 'j');
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n" + fresh_token() +
      "\r\n--b\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n路灯坏了\r\n"
      "--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"lamp.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n" +
      jpeg + "\r\n--b--\r\n";
  auto answer = request(bhttp::verb::post, "/form", body, "multipart/form-data; boundary=b");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto stored = events();
  ASSERT_EQ(stored.size(), 1u);
  const auto& payload = stored[0].payload;
  EXPECT_NE(payload.find("\"media_type\":\"image/jpeg\""), std::string::npos) << payload;
  EXPECT_NE(payload.find("\"size\":" + std::to_string(jpeg.size())), std::string::npos);
  EXPECT_NE(payload.find("\"url\":\"http://127.0.0.1:9/media/"), std::string::npos);
  EXPECT_NE(payload.find("sig="), std::string::npos);
}

TEST_F(webform_test, a_photo_of_the_wrong_type_is_refused_beside_its_field) {
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n" + fresh_token() +
      "\r\n--b\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n路灯坏了\r\n"
      "--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"lamp.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n#!/bin/sh\r\n--b--\r\n";
  auto answer = request(bhttp::verb::post, "/form", body, "multipart/form-data; boundary=b");
  EXPECT_EQ(answer.status, 422);
  EXPECT_NE(answer.body.find("id=\"photo-error\""), std::string::npos);
  EXPECT_NE(answer.body.find("路灯坏了</textarea>"), std::string::npos);
  EXPECT_TRUE(events().empty());
}

TEST_F(webform_test, emergency_receipt_tells_the_number_to_call) {
  auto answer = post_form(
      "/form", form_body({{"token", fresh_token()}, {"description", "楼下着火了，浓烟很大"}}));
  ASSERT_EQ(answer.status, 200);
  EXPECT_NE(answer.body.find("class=\"urgent\" role=\"alert\""), std::string::npos);
  EXPECT_NE(answer.body.find("119"), std::string::npos);
}

}  // namespace
}  // namespace intake::channels::webform
