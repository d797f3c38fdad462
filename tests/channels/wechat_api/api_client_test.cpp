#include "channels/wechat_api/api_client.hpp"

#include <gtest/gtest.h>

#include <deque>

namespace intake::channels::wechat_api {
namespace {

using namespace std::chrono_literals;

// Answers calls in order from a script and records what was asked.
class scripted_transport final : public http_transport {
 public:
  std::deque<http_reply> replies;
  std::vector<std::string> urls;
  std::vector<std::string> bodies;

  core::result<http_reply> get(const std::string& url) override { return next(url, ""); }
  core::result<http_reply> post(const std::string& url, std::string_view,
                                std::string_view body) override {
    return next(url, std::string(body));
  }

 private:
  core::result<http_reply> next(const std::string& url, std::string body) {
    urls.push_back(url);
    bodies.push_back(std::move(body));
    if (replies.empty()) return core::fail(core::errc::upstream_unavailable, "no answer");
    auto r = replies.front();
    replies.pop_front();
    return r;
  }
};

http_reply json(std::string body) {
  return {200, "application/json; encoding=utf-8", std::move(body)};
}

struct fixture {
  std::shared_ptr<scripted_transport> transport = std::make_shared<scripted_transport>();
  api_client client{api_settings{"http://127.0.0.1:9/", "wxapp", "s3cret&", 300s}, transport,
                    [] { return core::sys_time(1000000s); }};
};

TEST(api_client, exchanges_a_login_code) {
  fixture f;
  f.transport->replies.push_back(json(R"({"openid":"oABC","session_key":"xyz","unionid":"uXYZ"})"));
  auto s = f.client.code_to_session("0a1b2c");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->openid, "oABC");
  EXPECT_EQ(*s->unionid, "uXYZ");
  EXPECT_EQ(f.transport->urls[0],
            "http://127.0.0.1:9/sns/jscode2session?appid=wxapp&secret=s3cret%26&js_code=0a1b2c"
            "&grant_type=authorization_code");
}

TEST(api_client, maps_the_documented_login_errors) {
  struct row {
    std::string body;
    core::errc code;
  };
  const row rows[] = {
      {R"({"errcode":40029,"errmsg":"invalid code"})", core::errc::unauthorized},
      {R"({"errcode":40163,"errmsg":"code been used"})", core::errc::unauthorized},
      {R"({"errcode":45011,"errmsg":"api minute-quota reach limit"})", core::errc::rate_limited},
      {R"({"errcode":-1,"errmsg":"system error"})", core::errc::upstream_unavailable},
      {R"({"errcode":40013,"errmsg":"invalid appid"})", core::errc::upstream_unavailable},
      {"<html>gateway</html>", core::errc::upstream_unavailable},
      {R"({"session_key":"no openid"})", core::errc::upstream_unavailable},
  };
  for (const auto& r : rows) {
    fixture f;
    f.transport->replies.push_back(json(r.body));
    auto s = f.client.code_to_session("code");
    ASSERT_FALSE(s) << r.body;
    EXPECT_EQ(s.error().code, r.code) << r.body;
    // The message never carries the secret.
    EXPECT_EQ(s.error().message.find("s3cret"), std::string::npos);
  }
  fixture f;
  EXPECT_EQ(f.client.code_to_session("").error().code, core::errc::unauthorized);
  EXPECT_EQ(f.transport->urls.size(), 0u);
}

TEST(api_client, refreshes_an_expired_token_and_retries_once) {
  fixture f;
  f.transport->replies = {
      json(R"({"access_token":"T1","expires_in":7200})"),
      json(R"({"errcode":42001,"errmsg":"access_token expired"})"),
      json(R"({"access_token":"T2","expires_in":7200})"),
      {200, "image/jpeg", "\xFF\xD8\xFFjpeg"},
  };
  auto bytes = f.client.download_media("photo-1");
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(*bytes, "\xFF\xD8\xFFjpeg");
  ASSERT_EQ(f.transport->urls.size(), 4u);
  EXPECT_EQ(f.transport->urls[0], "http://127.0.0.1:9/cgi-bin/stable_token");
  EXPECT_NE(f.transport->bodies[0].find("\"force_refresh\":false"), std::string::npos);
  EXPECT_NE(f.transport->urls[1].find("access_token=T1&media_id=photo-1"), std::string::npos);
  EXPECT_NE(f.transport->bodies[2].find("\"force_refresh\":true"), std::string::npos);
  EXPECT_NE(f.transport->urls[3].find("access_token=T2"), std::string::npos);
}

TEST(api_client, gives_up_after_the_second_refusal) {
  fixture f;
  f.transport->replies = {
      json(R"({"access_token":"T1","expires_in":7200})"),
      json(R"({"errcode":42001,"errmsg":"access_token expired"})"),
      json(R"({"access_token":"T2","expires_in":7200})"),
      json(R"({"errcode":40001,"errmsg":"invalid credential"})"),
  };
  auto bytes = f.client.download_media("photo-1");
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().code, core::errc::upstream_unavailable);
  EXPECT_EQ(f.transport->urls.size(), 4u);
}

TEST(api_client, reads_the_content_check_verdict) {
  struct row {
    std::string body;
    text_verdict verdict;
  };
  const row rows[] = {
      {R"({"errcode":0,"errmsg":"ok","result":{"suggest":"pass","label":100}})",
       text_verdict::pass},
      {R"({"errcode":0,"errmsg":"ok","result":{"suggest":"risky","label":20001}})",
       text_verdict::risky},
      {R"({"errcode":0,"errmsg":"ok","result":{"suggest":"review","label":21000}})",
       text_verdict::review},
  };
  for (const auto& r : rows) {
    fixture f;
    f.transport->replies = {json(R"({"access_token":"T1","expires_in":7200})"), json(r.body)};
    auto v = f.client.check_text("oABC", "路灯坏了");
    ASSERT_TRUE(v) << r.body;
    EXPECT_EQ(*v, r.verdict);
    EXPECT_NE(f.transport->bodies[1].find("\"version\":2"), std::string::npos);
  }
}

TEST(api_client, media_errors_are_typed) {
  fixture f;
  f.transport->replies = {json(R"({"access_token":"T1","expires_in":7200})"),
                          {200, "text/plain", R"({"errcode":40007,"errmsg":"invalid media_id"})"}};
  auto bytes = f.client.download_media("nope");
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().code, core::errc::invalid_field);
}

}  // namespace
}  // namespace intake::channels::wechat_api
