#include "channels/wechat/push_request.hpp"

#include <gtest/gtest.h>

#include "channels/wechat/signature.hpp"

namespace intake::channels::wechat {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view aes_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
constexpr std::string_view appid = "wxb11529c136998cb6";
const core::sys_time now = core::sys_time(1714037059s);

const std::string text_message =
    "<xml><ToUserName><![CDATA[gh_account]]></ToUserName>"
    "<FromUserName><![CDATA[oCitizen0000000000000000001]]></FromUserName>"
    "<CreateTime>1714037059</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[路灯坏了]]></Content><MsgId>6052830193495064595</MsgId></xml>";

account_settings plain_account() {
  account_settings a;
  a.token = "AAAAA";
  return a;
}

account_settings safe_account() {
  auto a = plain_account();
  a.crypto = *message_crypto::create(aes_key, std::string(appid));
  return a;
}

// A push as WeChat sends it: signature over (token, timestamp, nonce), and in safe mode the
// <Encrypt> body with msg_signature over the four.
struct push {
  std::string target;
  std::string body;
};

push plain_push(const std::string& token, const std::string& ts, const std::string& xml) {
  const std::string nonce = "486452656";
  return {"/wechat/main?signature=" + wechat_signature({token, ts, nonce}) + "&timestamp=" + ts +
              "&nonce=" + nonce + "&openid=oCitizen0000000000000000001",
          xml};
}

push safe_push(const std::string& token, const std::string& ts, const std::string& xml,
               const message_crypto& crypto) {
  const std::string nonce = "1320562132";
  const std::string encrypt = crypto.encrypt(xml);
  return {"/wechat/main?signature=" + wechat_signature({token, ts, nonce}) + "&timestamp=" + ts +
              "&nonce=" + nonce + "&openid=oCitizen0000000000000000001&encrypt_type=aes" +
              "&msg_signature=" + wechat_signature({token, ts, nonce, encrypt}),
          "<xml><ToUserName><![CDATA[gh_account]]></ToUserName><Encrypt><![CDATA[" + encrypt +
              "]]></Encrypt></xml>"};
}

TEST(push_request, answers_the_documented_url_check) {
  const auto q = parse_push_query(
      "/wechat/main?signature=f464b24fc39322e44b38aa78f5edd27bd1441696&echostr="
      "4375120948345356249&timestamp=1714036504&nonce=1514711492");
  auto echo = verify_url_check(q, plain_account(), now);
  ASSERT_TRUE(echo);
  EXPECT_EQ(*echo, "4375120948345356249");
  auto forged = q;
  forged.signature[0] = 'e';
  EXPECT_FALSE(verify_url_check(forged, plain_account(), now));
}

TEST(push_request, opens_plain_and_safe_pushes) {
  const auto p = plain_push("AAAAA", "1714037059", text_message);
  // The documented example's signature.
  EXPECT_NE(p.target.find("899cf89e464efb63f54ddac96b0a0a235f53aa78"), std::string::npos);
  auto plain = open_push(parse_push_query(p.target), p.body, plain_account(), now);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_FALSE(plain->encrypted);
  EXPECT_EQ(plain->message.text, "路灯坏了");

  const auto account = safe_account();
  const auto s = safe_push("AAAAA", "1714037059", text_message, *account.crypto);
  auto safe = open_push(parse_push_query(s.target), s.body, account, now);
  ASSERT_TRUE(safe) << safe.error().message;
  EXPECT_TRUE(safe->encrypted);
  EXPECT_EQ(safe->message.text, "路灯坏了");
  EXPECT_EQ(*safe->message.msg_id, "6052830193495064595");
}

TEST(push_request, refuses_forged_stale_foreign_and_unencrypted_pushes) {
  const auto account = safe_account();
  const auto other_app = *message_crypto::create(aes_key, "wx0000000000000000");
  const auto good = safe_push("AAAAA", "1714037059", text_message, *account.crypto);
  auto tampered_body = good;
  tampered_body.body.replace(tampered_body.body.find("Encrypt><![CDATA[") + 17, 4, "AAAA");
  struct row {
    std::string name;
    push p;
    const account_settings* account;
  };
  const auto plain = plain_account();
  const row rows[] = {
      {"forged signature", plain_push("BBBBB", "1714037059", text_message), &plain},
      {"stale timestamp", plain_push("AAAAA", "1714036000", text_message), &plain},
      {"future timestamp", plain_push("AAAAA", "1714038000", text_message), &plain},
      {"no signature", {"/wechat/main?timestamp=1714037059&nonce=1", text_message}, &plain},
      {"wrong appid", safe_push("AAAAA", "1714037059", text_message, other_app), &account},
      {"plain push to a safe-mode account", plain_push("AAAAA", "1714037059", text_message),
       &account},
      {"encrypt altered after signing", tampered_body, &account},
      {"safe push signed with another token",
       safe_push("BBBBB", "1714037059", text_message, *account.crypto), &account},
  };
  for (const auto& r : rows) {
    auto out = open_push(parse_push_query(r.p.target), r.p.body, *r.account, now);
    ASSERT_FALSE(out) << r.name;
    EXPECT_EQ(out.error().code, core::errc::forbidden) << r.name << ": " << out.error().message;
  }
}

TEST(push_request, encrypts_the_passive_reply_in_safe_mode) {
  const auto account = safe_account();
  const auto s = safe_push("AAAAA", "1714037059", text_message, *account.crypto);
  auto opened = open_push(parse_push_query(s.target), s.body, account, now);
  ASSERT_TRUE(opened);
  const auto reply = passive_text_reply(opened->message, "受理编号：3BDG-0400-0001-F",
                                        opened->encrypted, account, now, "nonce123");
  auto outer = parse_message_xml(reply);
  ASSERT_TRUE(outer) << reply;
  const auto& encrypt = outer->at("Encrypt");
  EXPECT_TRUE(signature_matches(outer->at("MsgSignature"),
                                {"AAAAA", outer->at("TimeStamp"), "nonce123", encrypt}));
  auto inner_xml = account.crypto->decrypt(encrypt);
  ASSERT_TRUE(inner_xml);
  auto inner = parse_message_xml(*inner_xml);
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->at("ToUserName"), "oCitizen0000000000000000001");
  EXPECT_EQ(inner->at("FromUserName"), "gh_account");
  EXPECT_EQ(inner->at("MsgType"), "text");
  EXPECT_EQ(inner->at("Content"), "受理编号：3BDG-0400-0001-F");

  const auto plain = passive_text_reply(opened->message, "x", false, account, now, "n");
  EXPECT_EQ(plain.find("Encrypt"), std::string::npos);
  EXPECT_NE(plain.find("<Content><![CDATA[x]]></Content>"), std::string::npos);
}

}  // namespace
}  // namespace intake::channels::wechat
