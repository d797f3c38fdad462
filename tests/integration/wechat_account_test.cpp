// The official account end to end: pushes signed (and in safe mode encrypted) exactly as WeChat
// documents, answered after the durable commit with a passive reply carrying the tracking
// number, one event per report on the real broker, and everything forged or replayed refused.

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "channels/wechat/message_crypto.hpp"
#include "channels/wechat/message_xml.hpp"
#include "channels/wechat/signature.hpp"
#include "tests/integration/support/json_fields.hpp"
#include "tests/integration/support/metrics_text.hpp"
#include "tests/integration/support/wechat_fixture.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;
using channels::wechat::message_crypto;
using channels::wechat::parse_message_xml;
using channels::wechat::wechat_signature;

constexpr auto event_deadline = 10s;
const std::string citizen = "oCitizenTest000000000000001";

std::string now_seconds(std::chrono::seconds offset = 0s) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            (std::chrono::system_clock::now() + offset).time_since_epoch())
                            .count());
}

std::string message_xml(const std::string& type_fields, const std::string& msg_id) {
  return "<xml><ToUserName><![CDATA[gh_county12345]]></ToUserName><FromUserName><![CDATA[" +
         citizen + "]]></FromUserName><CreateTime>" + now_seconds() + "</CreateTime>" +
         type_fields + "<MsgId>" + msg_id + "</MsgId></xml>";
}

std::string text(const std::string& content, const std::string& msg_id) {
  return message_xml(
      "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + content + "]]></Content>", msg_id);
}

class wechat_account_test : public wechat_fixture {
 protected:
  struct push_options {
    std::string token = oa_token;
    std::chrono::seconds skew = 0s;
    std::string appid = oa_appid;
  };

  // POSTs a message as WeChat would; in safe mode encrypted with msg_signature.
  http_response push(const std::string& xml, bool safe, const push_options& o) {
    const std::string ts = now_seconds(o.skew);
    const std::string nonce = "1514711492";
    std::string target = "/wechat/main?signature=" + wechat_signature({o.token, ts, nonce}) +
                         "&timestamp=" + ts + "&nonce=" + nonce + "&openid=" + citizen;
    std::string body = xml;
    if (safe) {
      const auto crypto = *message_crypto::create(aes_key, o.appid);
      const auto encrypt = crypto.encrypt(xml);
      target +=
          "&encrypt_type=aes&msg_signature=" + wechat_signature({o.token, ts, nonce, encrypt});
      body = "<xml><ToUserName><![CDATA[gh_county12345]]></ToUserName><Encrypt><![CDATA[" +
             encrypt + "]]></Encrypt></xml>";
    }
    return http_.post(collector_->base_url() + target, body, "text/xml");
  }
  http_response push(const std::string& xml, bool safe) { return push(xml, safe, {}); }

  // The Content of a passive reply, decrypted in safe mode.
  std::string reply_content(const http_response& res, bool safe) {
    auto outer = parse_message_xml(res.body);
    if (!outer) return "<not XML: " + res.body + ">";
    if (!safe) return (*outer)["Content"];
    const auto ts = (*outer)["TimeStamp"];
    EXPECT_EQ((*outer)["MsgSignature"],
              wechat_signature({oa_token, ts, (*outer)["Nonce"], (*outer)["Encrypt"]}));
    auto inner_xml = message_crypto::create(aes_key, oa_appid)->decrypt((*outer)["Encrypt"]);
    if (!inner_xml) return "<does not decrypt>";
    auto inner = parse_message_xml(*inner_xml);
    EXPECT_EQ((*inner)["ToUserName"], citizen);
    return (*inner)["Content"];
  }
};

TEST_F(wechat_account_test, answers_the_server_url_check) {
  start_wechat({});
  const std::string ts = now_seconds();
  auto ok = http_.get(collector_->base_url() +
                      "/wechat/main?signature=" + wechat_signature({oa_token, ts, "77"}) +
                      "&timestamp=" + ts + "&nonce=77&echostr=4375120948345356249");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "4375120948345356249");
  auto forged =
      http_.get(collector_->base_url() + "/wechat/main?signature=" + std::string(40, '0') +
                "&timestamp=" + ts + "&nonce=77&echostr=1");
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(http_.get(collector_->base_url() + "/wechat/other?signature=x").status, 404);
}

TEST_F(wechat_account_test, a_plain_text_message_is_answered_with_its_tracking_number) {
  start_wechat({});
  const auto started = std::chrono::steady_clock::now();
  auto res = push(text("小区门口路灯坏了一个星期", "7000000000000000001"), false);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_LT(took, 2s) << "WeChat retries after 5 s";
  ASSERT_TRUE(feed_->wait_for(1, event_deadline));
  const auto event = feed_->messages().front().payload;
  const auto tracking = json_string(event, "/subject");
  ASSERT_TRUE(tracking);
  EXPECT_NE(reply_content(res, false).find(*tracking), std::string::npos) << res.body;
  EXPECT_EQ(json_string(event, "/data/channel"), "wechat");
  EXPECT_EQ(json_string(event, "/data/description_original"), "小区门口路灯坏了一个星期");
  EXPECT_TRUE(json_string(event, "/data/submitter/sealed"));
  EXPECT_EQ(event.find(citizen), std::string::npos);
  std::cout << "[ measure  ] passive reply after the durable commit: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
  // The openid never reaches the log (debug level here): tracking number and channel only.
  EXPECT_EQ(read_file(collector_->log_path()).find(citizen), std::string::npos);
}

TEST_F(wechat_account_test, an_emergency_does_not_wait_for_the_quiet_period) {
  start_wechat({.quiet_period = "60s"});
  auto res = push(text("楼道着火了，有人被困！", "7000000000000000020"), false);
  ASSERT_EQ(res.status, 200) << res.body;
  const auto told = reply_content(res, false);
  EXPECT_NE(told.find("119"), std::string::npos) << told;
  ASSERT_TRUE(feed_->wait_for(1, event_deadline)) << "the window waited for the quiet period";
  const auto m = feed_->messages().front();
  EXPECT_EQ(m.topic, "intake/v1/440303/urgent");
  EXPECT_NE(told.find(*json_string(m.payload, "/subject")), std::string::npos);
}

TEST_F(wechat_account_test, a_replayed_msgid_gets_the_same_answer_and_no_second_event) {
  start_wechat({.safe_mode = true});
  const auto xml = text("井盖丢了，很危险", "7000000000000000002");
  auto first = push(xml, true);
  ASSERT_EQ(first.status, 200) << first.body;
  auto retry = push(xml, true);  // WeChat's retry: same MsgId, new signature and timestamp
  ASSERT_EQ(retry.status, 200) << retry.body;
  const auto first_text = reply_content(first, true);
  EXPECT_EQ(reply_content(retry, true), first_text);
  ASSERT_TRUE(feed_->wait_for(1, event_deadline));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(feed_->size(), 1u);
  EXPECT_NE(first_text.find(*json_string(feed_->messages().front().payload, "/subject")),
            std::string::npos);
}

TEST_F(wechat_account_test, text_photo_and_place_in_safe_mode_become_one_event) {
  start_wechat({.safe_mode = true, .quiet_period = "1500ms"});
  auto a = push(text("这里的井盖丢了", "7000000000000000010"), true);
  auto b = push(message_xml("<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz."
                            "qpic.cn/x]]></PicUrl><MediaId><![CDATA[photo-42]]></MediaId>",
                            "7000000000000000011"),
                true);
  auto c = push(message_xml("<MsgType><![CDATA[location]]></MsgType><Location_X>22.543</Location_X>"
                            "<Location_Y>114.057</Location_Y><Scale>16</Scale><Label><![CDATA["
                            "深圳市福田区某路12号]]></Label>",
                            "7000000000000000012"),
                true);
  for (const auto* res : {&a, &b, &c}) ASSERT_EQ(res->status, 200) << res->body;
  // Every part is told the same number, before the submission is complete.
  const auto told = reply_content(a, true);
  EXPECT_EQ(reply_content(b, true), told);
  EXPECT_EQ(reply_content(c, true), told);

  ASSERT_TRUE(feed_->wait_for(1, event_deadline));
  std::this_thread::sleep_for(2s);  // a second event would have come by now
  ASSERT_EQ(feed_->size(), 1u);
  const auto event = feed_->messages().front().payload;
  const auto tracking = *json_string(event, "/subject");
  EXPECT_NE(told.find(tracking), std::string::npos) << told;
  EXPECT_EQ(json_string(event, "/data/description_original"), "这里的井盖丢了");
  EXPECT_EQ(json_string(event, "/data/media/0/media_type"), "image/jpeg");
  EXPECT_EQ(json_number(event, "/data/lat"), 22.543);
  EXPECT_EQ(json_number(event, "/data/long"), 114.057);
  EXPECT_EQ(json_string(event, "/data/address_string"), "深圳市福田区某路12号");
  EXPECT_EQ(standin_->calls("media_get"), 1);
}

TEST_F(wechat_account_test, forged_stale_foreign_and_plain_pushes_are_refused_and_counted) {
  start_wechat({.safe_mode = true});
  struct row {
    std::string name;
    bool safe;
    push_options options;
  };
  const row rows[] = {
      {"forged signature", true, {.token = "not-the-token"}},
      {"stale timestamp", true, {.skew = -3600s}},
      {"wrong appid", true, {.appid = "wx0000000000000000"}},
      {"plain push in safe mode", false, {}},
  };
  int n = 0;
  for (const auto& r : rows) {
    auto res =
        push(text("伪造的消息", "71000000000000000" + std::to_string(10 + n++)), r.safe, r.options);
    EXPECT_EQ(res.status, 403) << r.name << ": " << res.body;
  }
  const auto metrics = metrics_text();
  EXPECT_NE(metrics.find("intake_wechat_refused_total{code=\"forbidden\"} 4"), std::string::npos)
      << metrics;
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(feed_->size(), 0u);
}

}  // namespace
}  // namespace intake::testing
