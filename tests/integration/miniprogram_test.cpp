// The mini-program channel end to end: the wx.login code exchanged at the WeChat stand-in, the
// collector's own session token, a photo upload, the submission as one event on the real
// broker with the openid sealed, and the status query for its own submitter only.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "common/privacy/event_opener.hpp"
#include "tests/integration/support/json_fields.hpp"
#include "tests/integration/support/wechat_fixture.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto event_deadline = 10s;
const std::string alice = "oAliceTest00000000000000001";
const std::string bob = "oBobTest0000000000000000002";

// A tiny JPEG (SOI, APP0 JFIF, EOI).
const std::string jpeg =
    std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20) +
    "street-lamp" + std::string("\xFF\xD9", 2);

class miniprogram_test : public wechat_fixture {
 protected:
  std::string url(const std::string& path) const { return collector_->base_url() + path; }

  http_response login(const std::string& code) {
    return http_.post_json(url("/mp/v1/session"), R"({"code":")" + code + "\"}");
  }

  std::string session_for(const std::string& openid, const std::string& nonce = "1") {
    auto res = login("ok:" + openid + ":" + nonce);
    EXPECT_EQ(res.status, 200) << res.body;
    return json_string(res.body, "/session_token").value_or("");
  }

  static header_list bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  http_response upload(const std::string& token, const std::string& bytes) {
    const std::string body =
        "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.jpg\"\r\n"
        "Content-Type: image/jpeg\r\n\r\n" +
        bytes + "\r\n--b0undary--\r\n";
    return http_.post(url("/mp/v1/media"), body, "multipart/form-data; boundary=b0undary",
                      bearer(token));
  }
};

TEST_F(miniprogram_test, a_submission_with_a_photo_arrives_as_one_event_with_the_openid_sealed) {
  start_wechat({});
  const auto token = session_for(alice);
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(token.find(alice), 3u);  // v1.<openid>...: the client's own id, signed

  auto photo = upload(token, jpeg);
  ASSERT_EQ(photo.status, 201) << photo.body;
  const auto media_id = json_string(photo.body, "/media_id");
  ASSERT_TRUE(media_id);
  EXPECT_EQ(json_string(photo.body, "/media_type"), "image/jpeg");

  auto answer =
      http_.post_json(url("/mp/v1/submissions"),
                      R"({"description":"小区门口路灯坏了一个星期","request_id":"r-1","media":[")" +
                          *media_id + R"("],"location":{"lat":22.54,"long":114.06}})",
                      bearer(token));
  ASSERT_EQ(answer.status, 202) << answer.body;
  const auto tracking = json_string(answer.body, "/tracking_number");
  ASSERT_TRUE(tracking);

  ASSERT_TRUE(feed_->wait_for(1, event_deadline));
  const auto event = feed_->messages().front().payload;
  EXPECT_EQ(json_string(event, "/data/channel"), "miniprogram");
  EXPECT_EQ(json_string(event, "/subject"), *tracking);
  EXPECT_EQ(json_string(event, "/data/media/0/media_type"), "image/jpeg");
  EXPECT_EQ(json_string(event, "/data/media/0/sha256")->size(), 64u);
  EXPECT_TRUE(json_string(event, "/data/submitter/ref"));
  EXPECT_TRUE(json_string(event, "/data/submitter/sealed"));
  EXPECT_EQ(event.find(alice), std::string::npos) << "the openid travels in clear";
  auto opened = privacy::open_event(event, centre_keys_);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(json_string(*opened, "/data/submitter/openid"), alice);

  // The same request id again: the same number, no second event.
  auto again = http_.post_json(url("/mp/v1/submissions"),
                               R"({"description":"小区门口路灯坏了一个星期","request_id":"r-1"})",
                               bearer(token));
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json_string(again.body, "/tracking_number"), tracking);
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(feed_->size(), 1u);

  // The openid never reaches the log.
  EXPECT_EQ(read_file(collector_->log_path()).find(alice), std::string::npos);
}

TEST_F(miniprogram_test, a_code_in_the_submission_logs_in_and_returns_a_session) {
  start_wechat({});
  auto answer = http_.post_json(url("/mp/v1/submissions"),
                                R"({"description":"井盖丢了","code":"ok:)" + alice + R"(:9"})");
  ASSERT_EQ(answer.status, 202) << answer.body;
  const auto token = json_string(answer.body, "/session_token");
  ASSERT_TRUE(token);
  // The session works for the next call without another exchange.
  const auto before = standin_->calls("jscode2session");
  auto next = http_.post_json(url("/mp/v1/submissions"), R"({"description":"另一处井盖也丢了"})",
                              bearer(*token));
  EXPECT_EQ(next.status, 202) << next.body;
  EXPECT_EQ(standin_->calls("jscode2session"), before);
}

TEST_F(miniprogram_test, the_status_is_told_to_its_own_submitter_only) {
  start_wechat({});
  const auto alice_token = session_for(alice);
  const auto bob_token = session_for(bob);
  auto answer = http_.post_json(url("/mp/v1/submissions"),
                                R"({"description":"路边垃圾三天没人清运","request_id":"s-1"})",
                                bearer(alice_token));
  ASSERT_EQ(answer.status, 202) << answer.body;
  const auto tracking = *json_string(answer.body, "/tracking_number");
  ASSERT_TRUE(feed_->wait_for(1, event_deadline));

  // Alice sees it forwarded once the broker has it.
  std::string status;
  const auto deadline = std::chrono::steady_clock::now() + event_deadline;
  while (std::chrono::steady_clock::now() < deadline) {
    auto mine = http_.get(url("/mp/v1/submissions/" + tracking), bearer(alice_token));
    ASSERT_EQ(mine.status, 200) << mine.body;
    EXPECT_EQ(json_string(mine.body, "/tracking_number"), tracking);
    status = json_string(mine.body, "/status").value_or("");
    if (status == "forwarded") break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(status, "forwarded");

  // Bob gets the answer an unknown number gets; nobody gets anything without a session.
  auto theirs = http_.get(url("/mp/v1/submissions/" + tracking), bearer(bob_token));
  EXPECT_EQ(theirs.status, 404) << theirs.body;
  auto unknown = http_.get(url("/mp/v1/submissions/0000-0000-0000-0"), bearer(bob_token));
  EXPECT_EQ(unknown.status, 404);
  auto anonymous = http_.get(url("/mp/v1/submissions/" + tracking));
  EXPECT_EQ(anonymous.status, 401);
  auto forged = http_.get(url("/mp/v1/submissions/" + tracking),
                          bearer("v1." + alice + ".9999999999." + std::string(64, '0')));
  EXPECT_EQ(forged.status, 401);
}

TEST_F(miniprogram_test, wechat_login_errors_come_back_as_clear_answers) {
  start_wechat({});
  struct row {
    std::string code;
    long status;
    std::string error;
  };
  const row rows[] = {
      {"invalid:abc", 401, "unauthorized"},       // 40029 invalid code
      {"limit:abc", 429, "rate_limited"},         // 45011
      {"busy:abc", 503, "upstream_unavailable"},  // -1 system busy
  };
  for (const auto& r : rows) {
    auto res = login(r.code);
    EXPECT_EQ(res.status, r.status) << r.code << ": " << res.body;
    EXPECT_EQ(json_string(res.body, "/error"), r.error) << r.code;
  }
  // A code works once (40163 the second time).
  EXPECT_EQ(login("ok:" + alice + ":once").status, 200);
  EXPECT_EQ(login("ok:" + alice + ":once").status, 401);
  EXPECT_EQ(feed_->size(), 0u);
}

TEST_F(miniprogram_test, an_expired_access_token_is_refreshed_and_the_call_retried) {
  start_wechat({.content_check = true});
  const auto token = session_for(alice);
  auto first =
      http_.post_json(url("/mp/v1/submissions"), R"({"description":"噪音扰民"})", bearer(token));
  ASSERT_EQ(first.status, 202) << first.body;
  EXPECT_EQ(standin_->calls("stable_token"), 1);
  EXPECT_EQ(standin_->calls("msg_sec_check"), 1);

  standin_->expire_tokens();  // the next call with the cached token gets 42001
  auto second = http_.post_json(url("/mp/v1/submissions"), R"({"description":"夜间施工扰民"})",
                                bearer(token));
  ASSERT_EQ(second.status, 202) << second.body;
  EXPECT_EQ(standin_->calls("stable_token"), 2);
  EXPECT_EQ(standin_->calls("msg_sec_check"), 3);

  auto risky =
      http_.post_json(url("/mp/v1/submissions"), R"({"description":"RISKY text"})", bearer(token));
  EXPECT_EQ(risky.status, 422) << risky.body;
  ASSERT_TRUE(feed_->wait_for(2, event_deadline));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(feed_->size(), 2u);
}

TEST_F(miniprogram_test, uploads_are_checked_by_content_and_need_a_session) {
  start_wechat({});
  const auto token = session_for(alice);
  EXPECT_EQ(upload(token, "#!/bin/sh\necho not a photo\n").status, 415);
  EXPECT_EQ(upload("v1.x.1.y", jpeg).status, 401);
  // A media id issued to someone else cannot be attached.
  auto photo = upload(token, jpeg);
  ASSERT_EQ(photo.status, 201);
  const auto bob_token = session_for(bob);
  auto res = http_.post_json(url("/mp/v1/submissions"),
                             R"({"description":"借用别人的照片","media":[")" +
                                 *json_string(photo.body, "/media_id") + "\"]}",
                             bearer(bob_token));
  EXPECT_EQ(res.status, 422) << res.body;
}

}  // namespace
}  // namespace intake::testing
