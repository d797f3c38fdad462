// Peers down: one collector with every channel on (api, webform, sms, email, miniprogram,
// wechat) against real Dovecot, aiosmtpd, Kannel and mosquitto and the WeChat stand-in. While one
// peer is down or erroring, the other channels take submissions as before (202 and on the feed),
// the failing side is tried again with growing pauses (read from /metrics and the log, never
// from the clock), and what waited arrives once, when the peer is back.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "channels/email/mime_parser.hpp"
#include "channels/wechat/message_xml.hpp"
#include "channels/wechat/signature.hpp"
#include "common/core/hmac.hpp"
#include "tests/integration/support/dovecot_server.hpp"
#include "tests/integration/support/feed_queries.hpp"
#include "tests/integration/support/free_port.hpp"
#include "tests/integration/support/json_fields.hpp"
#include "tests/integration/support/kannel_gateway.hpp"
#include "tests/integration/support/metrics_text.hpp"
#include "tests/integration/support/smtp_sink.hpp"
#include "tests/integration/support/wechat_fixture.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto deadline = 20s;
constexpr const char* reply_from = "12345@mail.county.gov.cn";
constexpr const char* sms_secret = "k4nnel-secret-for-tests";
constexpr const char* webhook_key = "webhook-key-for-tests";
const std::string mp_user = "oMiniProgramPeerDown000001";
// Distinct texts: one mini-program user's near-identical reports would be folded as repeats.
const char* const mp_reports[] = {"小区东门路灯不亮已经三天了", "幸福路公交站牌被车撞倒了",
                                  "菜市场门口污水横流无人清理", "学校附近工地夜间施工噪音很大",
                                  "公园健身器材损坏有安全隐患", "河道里漂着大量生活垃圾"};

/// A different citizen for each push: one citizen's photo-only reports would be repeats.
std::string citizen(int n) {
  return "oCitizenPeerDown00000000" + std::to_string(10 + n);
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = deadline) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return done();
}

std::string mail_fixture(const std::string& name) {
  return read_file(std::filesystem::path(INTAKE_SOURCE_DIR) / "tests/data/email" / name);
}

/// The values of `field` on the collector's log lines of `event` (logfmt: `event=E ... f=N`)
/// that also carry `with` (e.g. "tracking=..."), in order.
std::vector<long> logged_numbers(const std::string& log, const std::string& event,
                                 const std::string& field, const std::string& with = "") {
  const std::regex value(" " + field + "=(\\d+)");
  std::vector<long> out;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" event=" + event + " ") == std::string::npos) continue;
    if (!with.empty() && line.find(with) == std::string::npos) continue;
    std::smatch m;
    if (std::regex_search(line, m, value)) out.push_back(std::stol(m[1]));
  }
  return out;
}

/// How many feed events have `value` at `pointer`.
std::size_t events_with(const std::vector<feed_message>& messages, const char* pointer,
                        const std::string& value) {
  std::size_t n = 0;
  for (const auto& m : messages) {
    if (json_string(m.payload, pointer) == value) ++n;
  }
  return n;
}

std::string now_seconds() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

class peer_down_test : public wechat_fixture {
 protected:
  /// Dovecot, the SMTP sink, Kannel and WeChat's stand-in, the broker and the feed, then one
  /// collector with every channel on, then Kannel. Personal data is sealed (the WeChat fixture
  /// sets the centre's key): events show the masked phone only. With `imap_up` false, Dovecot is
  /// stopped before the collector starts: the collector never sees it until the test starts it.
  void start_every_channel(collector_config config, bool imap_up = true) {
    port_ = pick_free_port();
    dovecot_ = std::make_unique<dovecot_server>(dir_ / "dovecot");
    if (!imap_up) dovecot_->stop();
    sink_ = std::make_unique<smtp_sink>(dir_ / "smtp");
    kannel_ = std::make_unique<kannel_gateway>(dir_ / "kannel", port_, sms_secret);
    std::ofstream(dir_ / "sms.secret") << sms_secret << "\n";
    std::ofstream(dir_ / "webhook.key") << webhook_key << "\n";
    std::ofstream(dir_ / "sendsms.password") << kannel_->sendsms_password() << "\n";
    config.set("http.listen", toml_string("127.0.0.1:" + std::to_string(port_)))
        .set("channels.webform.enabled", "true")
        .set("channels.email.enabled", "true")
        .set("channels.email.imap_url", toml_string(dovecot_->url()))
        .set("channels.email.username", toml_string(dovecot_server::user))
        .set("channels.email.password_file", toml_string(dovecot_->password_file().string()))
        .set("channels.email.allow_plaintext", "true")
        .set("channels.email.poll_interval", toml_string("100ms"))
        .set("channels.email.smtp_url", toml_string(sink_->url()))
        .set("channels.email.reply_from", toml_string(reply_from))
        .set("channels.email.reply_per_address_burst", "20")
        .set("channels.sms.enabled", "true")
        .set("channels.sms.secret_file", toml_string((dir_ / "sms.secret").string()))
        .set("channels.sms.quiet_period", toml_string("300ms"))
        .set("channels.sms.sendsms_url", toml_string(kannel_->sendsms_url()))
        .set("channels.sms.sendsms_user", toml_string(kannel_->sendsms_user()))
        .set("channels.sms.sendsms_password_file",
             toml_string((dir_ / "sendsms.password").string()))
        .set("channels.sms.sendsms_from", toml_string(kannel_gateway::service_number))
        .set("channels.sms.webhook_enabled", "true")
        .set("channels.sms.webhook_secret_file", toml_string((dir_ / "webhook.key").string()));
    start_wechat({.content_check = true}, std::move(config));
    ASSERT_EQ(collector_->port(), port_);
    kannel_->start();
  }

  void TearDown() override {
    kannel_.reset();  // stop calling the collector before it stops
    wechat_fixture::TearDown();
    sink_.reset();
    dovecot_.reset();
  }

  std::optional<double> metric(const std::string& series) {
    return metric_value(metrics_text(), series);
  }

  bool wait_metric_at_least(const std::string& series, double value) {
    return wait_until([&] { return metric(series).value_or(0) >= value; });
  }

  std::string log() const { return read_file(collector_->log_path()); }

  /// An api submission and a web form post, each answered as usual and each on the feed.
  void expect_other_channels_unaffected(const std::string& tag) {
    SCOPED_TRACE("other channels while " + tag);
    const std::string api_text = bulk_description(tag + " api", 1);
    auto api = submit({.description = api_text});
    EXPECT_EQ(api.response.status, 202) << api.response.body;

    const std::string form_url = collector_->base_url() + "/form";
    std::smatch m;
    static const std::regex token(R"re(name="token" value="([^"]+)")re");
    const std::string page = http_.get(form_url).body;
    ASSERT_TRUE(std::regex_search(page, m, token)) << page.substr(0, 300);
    const std::string form_text = bulk_description(tag + " form", 2);
    const std::string encoded = "description=" + percent_encoded(form_text);
    auto form = http_.post(form_url, "token=" + std::string(m[1]) + "&" + encoded,
                           "application/x-www-form-urlencoded");
    EXPECT_EQ(form.status, 200) << form.body.substr(0, 300);

    EXPECT_TRUE(feed_->wait_until(
        [&](const auto& messages) {
          return events_with(messages, "/data/description_original", api_text) == 1 &&
                 events_with(messages, "/data/description_original", form_text) == 1;
        },
        deadline))
        << "the api or form submission did not reach the feed";
  }

  static std::string percent_encoded(const std::string& text) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
    return out;
  }

  /// A citizen's SMS through the signed webhook of a cloud SMS platform (not through Kannel).
  http_response webhook_sms(const std::string& from, const std::string& text,
                            const std::string& id) {
    const std::string body =
        R"({"from":")" + from + R"(","to":"12345","text":")" + text + R"(","id":")" + id + R"("})";
    return http_.post_json(
        collector_->base_url() + "/sms/webhook", body,
        {{"X-Signature", "sha256=" + core::to_hex(core::hmac_sha256(webhook_key, body))}});
  }

  /// An official-account photo in plain mode, signed as WeChat signs it.
  http_response photo_push(const std::string& openid, const std::string& media_id,
                           const std::string& msg_id) {
    const std::string ts = now_seconds();
    const std::string nonce = "1514711492";
    const std::string xml =
        "<xml><ToUserName><![CDATA[gh_county12345]]></ToUserName><FromUserName><![CDATA[" + openid +
        "]]></FromUserName><CreateTime>" + ts +
        "</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz.qpic.cn/"
        "x]]></PicUrl><MediaId><![CDATA[" +
        media_id + "]]></MediaId><MsgId>" + msg_id + "</MsgId></xml>";
    const std::string target =
        "/wechat/main?signature=" + channels::wechat::wechat_signature({oa_token, ts, nonce}) +
        "&timestamp=" + ts + "&nonce=" + nonce + "&openid=" + openid;
    return http_.post(collector_->base_url() + target, xml, "text/xml");
  }

  /// The tracking number a passive reply tells the citizen ("…受理编号：NUMBER。…").
  static std::optional<std::string> told_number(const http_response& res) {
    auto reply = channels::wechat::parse_message_xml(res.body);
    if (!reply) return std::nullopt;
    static const std::regex number("受理编号：([0-9A-Z-]+)");
    std::smatch m;
    const std::string content = (*reply)["Content"];
    if (!std::regex_search(content, m, number)) return std::nullopt;
    return m[1];
  }

  std::unique_ptr<dovecot_server> dovecot_;
  std::unique_ptr<smtp_sink> sink_;
  std::unique_ptr<kannel_gateway> kannel_;
  std::uint16_t port_ = 0;
};

TEST_F(peer_down_test, imap_down_backs_off_leaves_the_others_alone_and_takes_the_mail_once_back) {
  collector_config config;
  config.set("channels.email.poll_backoff_max", toml_string("800ms"));
  start_every_channel(config, /*imap_up=*/false);
  ASSERT_FALSE(HasFatalFailure());
  // Mail arrives at the server's store while its IMAP service is down.
  dovecot_->deliver(mail_fixture("big5.eml"), "1-big5");
  dovecot_->deliver(mail_fixture("utf8_qp.eml"), "2-utf8");

  expect_other_channels_unaffected("imap down");
  ASSERT_TRUE(wait_metric_at_least("intake_email_poll_errors_total", 5));
  // The pause doubles from poll_interval (100 ms) at each failed poll, up to poll_backoff_max.
  const auto pauses = logged_numbers(log(), "email_poll_backoff", "retry_in_ms");
  ASSERT_GE(pauses.size(), 4u);
  EXPECT_EQ(std::vector<long>(pauses.begin(), pauses.begin() + 4),
            (std::vector<long>{200, 400, 800, 800}));
  EXPECT_EQ(metric("intake_email_poll_pause_seconds"), 0.8);
  EXPECT_EQ(events_with(feed_->messages(), "/data/channel", "email"), 0u);

  dovecot_->start();
  ASSERT_TRUE(feed_->wait_until(
      [](const auto& messages) { return events_with(messages, "/data/channel", "email") == 2; },
      deadline))
      << "the mail delivered while IMAP was down did not arrive";
  ASSERT_TRUE(wait_until([&] { return dovecot_->count("Processed") == 2; }));
  EXPECT_EQ(dovecot_->count("INBOX"), 0u);
  EXPECT_TRUE(wait_until([&] { return metric("intake_email_poll_pause_seconds") == 0.1; }));
  EXPECT_NE(log().find("event=email_poll_recovered"), std::string::npos);

  // One more message, taken by a later poll: by then a second take of the first two would show.
  dovecot_->deliver(mail_fixture("gb2312_body_gbk_subject.eml"), "3-gb2312");
  ASSERT_TRUE(feed_->wait_until(
      [](const auto& messages) {
        return events_with(messages, "/data/source_ref", "gb2312-1@example.cn") == 1;
      },
      deadline));
  const auto messages = feed_->messages();
  for (const char* id : {"big5-1@example.cn", "utf8qp-1@example.cn", "gb2312-1@example.cn"})
    EXPECT_EQ(events_with(messages, "/data/source_ref", id), 1u) << id;
  EXPECT_EQ(distinct_values(messages, "/id").size(), messages.size());
  EXPECT_TRUE(sink_->wait_for(3, deadline)) << "each mail is answered once IMAP is back";
}

TEST_F(peer_down_test, smtp_down_the_mail_is_taken_and_its_reply_retried_until_the_server_is_back) {
  collector_config config;
  config.set("channels.email.reply_backoff_min", toml_string("100ms"))
      .set("channels.email.reply_backoff_max", toml_string("800ms"))
      .set("channels.email.reply_max_attempts", "100");
  start_every_channel(config);
  ASSERT_FALSE(HasFatalFailure());
  sink_->stop();
  dovecot_->deliver(mail_fixture("big5.eml"), "1-big5");

  ASSERT_TRUE(feed_->wait_until(
      [](const auto& messages) {
        return events_with(messages, "/data/source_ref", "big5-1@example.cn") == 1;
      },
      deadline))
      << "the mail is taken while no reply can be sent";
  ASSERT_TRUE(wait_until([&] { return dovecot_->count("Processed") == 1; }));
  expect_other_channels_unaffected("smtp down");
  ASSERT_TRUE(
      wait_metric_at_least(R"(intake_replies_total{channel="email",outcome="retried"})", 4));
  // Doubling from reply_backoff_min up to reply_backoff_max.
  const auto pauses = logged_numbers(log(), "reply_retry", "retry_in_ms", "channel=email");
  ASSERT_GE(pauses.size(), 4u);
  EXPECT_EQ(std::vector<long>(pauses.begin(), pauses.begin() + 4),
            (std::vector<long>{100, 200, 400, 800}));
  EXPECT_TRUE(sink_->messages().empty());

  sink_->start();
  ASSERT_TRUE(sink_->wait_for(1, deadline)) << "the reply did not follow the SMTP server back";
  auto reply = channels::email::parse_email(sink_->messages().front());
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->in_reply_to, "big5-1@example.cn");
  EXPECT_TRUE(wait_until(
      [&] { return metric(R"(intake_replies_total{channel="email",outcome="sent"})") == 1; }));
  EXPECT_FALSE(metric(R"(intake_replies_total{channel="email",outcome="gave_up"})"));
  EXPECT_EQ(events_with(feed_->messages(), "/data/source_ref", "big5-1@example.cn"), 1u);
}

TEST_F(peer_down_test, smtp_down_past_the_last_attempt_drops_the_reply_and_counts_it) {
  // As documented: reply_max_attempts, then the reply is given up and counted as gave_up.
  collector_config config;
  config.set("channels.email.reply_backoff_min", toml_string("100ms"))
      .set("channels.email.reply_backoff_max", toml_string("200ms"))
      .set("channels.email.reply_max_attempts", "3");
  start_every_channel(config);
  ASSERT_FALSE(HasFatalFailure());
  sink_->stop();
  dovecot_->deliver(mail_fixture("big5.eml"), "1-big5");
  ASSERT_TRUE(
      wait_metric_at_least(R"(intake_replies_total{channel="email",outcome="gave_up"})", 1));
  EXPECT_EQ(metric(R"(intake_replies_total{channel="email",outcome="retried"})"), 2);
  EXPECT_TRUE(feed_->wait_until(
      [](const auto& messages) {
        return events_with(messages, "/data/source_ref", "big5-1@example.cn") == 1;
      },
      deadline));

  // The next mail's reply goes out once the server is back; the dropped one never does.
  sink_->start();
  dovecot_->deliver(mail_fixture("utf8_qp.eml"), "2-utf8");
  ASSERT_TRUE(sink_->wait_for(1, deadline));
  ASSERT_TRUE(wait_until(
      [&] { return metric(R"(intake_replies_total{channel="email",outcome="sent"})") == 1; }));
  ASSERT_EQ(sink_->messages().size(), 1u);
  auto reply = channels::email::parse_email(sink_->messages().front());
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->in_reply_to, "utf8qp-1@example.cn");
  EXPECT_EQ(metric(R"(intake_replies_total{channel="email",outcome="gave_up"})"), 1);
}

TEST_F(peer_down_test, kannel_down_replies_wait_with_backoff_and_texts_flow_again_once_back) {
  collector_config config;
  config.set("channels.sms.reply_backoff_min", toml_string("100ms"))
      .set("channels.sms.reply_backoff_max", toml_string("800ms"))
      .set("channels.sms.reply_max_attempts", "100");
  start_every_channel(config);
  ASSERT_FALSE(HasFatalFailure());
  kannel_->stop();

  // A text through the cloud platform's webhook is taken; its reply (through Kannel) waits.
  auto taken = webhook_sms("13600136000", "公园长椅坏了", "cloud-1");
  ASSERT_EQ(taken.status, 202) << taken.body;
  const auto tracking = json_string(taken.body, "/tracking_number").value_or("?");
  ASSERT_TRUE(feed_->wait_until(
      [&](const auto& messages) {
        return events_with(messages, "/data/tracking_number", tracking) == 1;
      },
      deadline));
  expect_other_channels_unaffected("kannel down");
  ASSERT_TRUE(wait_metric_at_least(R"(intake_replies_total{channel="sms",outcome="retried"})", 5));
  const auto pauses = logged_numbers(log(), "reply_retry", "retry_in_ms", "tracking=" + tracking);
  ASSERT_GE(pauses.size(), 5u);
  EXPECT_EQ(std::vector<long>(pauses.begin(), pauses.begin() + 5),
            (std::vector<long>{100, 200, 400, 800, 800}));
  EXPECT_FALSE(metric(R"(intake_replies_total{channel="sms",outcome="sent"})"));

  kannel_->start();
  // Texts through Kannel flow again, and both citizens get their numbers.
  kannel_->send_text("13800138000", kannel_gateway::service_number, "Street lamp broken");
  ASSERT_TRUE(feed_->wait_until(
      [](const auto& messages) {
        return events_with(messages, "/data/submitter/phone_masked", "138****8000") == 1;
      },
      deadline))
      << "a text through the restarted Kannel did not reach the feed";
  const auto reached = [&](const std::string& to, const std::string& fragment) {
    return kannel_->wait_for_reply(
        [&](const mt_message& m) {
          return m.to == to && m.text.find(fragment) != std::string::npos;
        },
        deadline);
  };
  EXPECT_TRUE(reached("+8613600136000", tracking)) << "the waiting reply never went out";
  std::string kannel_tracking;
  for (const auto& m : feed_->messages()) {
    if (json_string(m.payload, "/data/submitter/phone_masked") == "138****8000")
      kannel_tracking = json_string(m.payload, "/data/tracking_number").value_or("?");
  }
  EXPECT_TRUE(reached("+8613800138000", kannel_tracking));
  EXPECT_TRUE(wait_until(
      [&] { return metric(R"(intake_replies_total{channel="sms",outcome="sent"})") == 2; }));
  EXPECT_FALSE(metric(R"(intake_replies_total{channel="sms",outcome="gave_up"})"));
}

TEST_F(peer_down_test, wechat_erroring_still_acknowledges_wechat_intake_and_recovers_its_calls) {
  start_every_channel({});
  ASSERT_FALSE(HasFatalFailure());
  // A mini-program user logged in before WeChat's trouble: the session is the collector's own.
  auto login = http_.post_json(collector_->base_url() + "/mp/v1/session",
                               R"({"code":"ok:)" + mp_user + R"(:1"})");
  ASSERT_EQ(login.status, 200) << login.body;
  const header_list session = {
      {"Authorization", "Bearer " + json_string(login.body, "/session_token").value_or("")}};

  const char* const faults[] = {
      "busy",                // errcode -1 on every call, stable_token included
      "http_500",            // a failing proxy in front of WeChat
      "invalid_credential",  // 40001 for every token, a fresh one too
  };
  int msg = 0;
  for (const std::string fault : faults) {
    SCOPED_TRACE(fault);
    standin_->set_fault(fault);
    // Twice each: the second call meets whatever the first left behind (a refused token).
    for (int round = 0; round < 2; ++round) {
      auto photo = photo_push(citizen(msg), "photo-" + std::to_string(msg),
                              "72000000000000000" + std::to_string(10 + msg));
      EXPECT_EQ(photo.status, 200) << photo.body;
      const std::string mp_text = mp_reports[msg++];
      auto mp = http_.post_json(collector_->base_url() + "/mp/v1/submissions",
                                R"({"description":")" + mp_text + R"("})", session);
      EXPECT_EQ(mp.status, 202) << "the content check fails open: " << mp.body;
      ASSERT_TRUE(feed_->wait_until(
          [&](const auto& messages) {
            return events_with(messages, "/data/description_original", mp_text) == 1;
          },
          deadline));
      const auto told = told_number(photo);
      ASSERT_TRUE(told) << "the photo push was not answered with its number: " << photo.body;
      ASSERT_TRUE(feed_->wait_until(
          [&](const auto& messages) {
            return events_with(messages, "/data/tracking_number", *told) == 1;
          },
          deadline));
      for (const auto& m : feed_->messages()) {
        if (json_string(m.payload, "/data/tracking_number") == *told) {
          EXPECT_FALSE(json_string(m.payload, "/data/media/0/sha256")) << "no photo to keep";
          EXPECT_NE(json_string(m.payload, "/data/description_original")
                        .value_or("")
                        .find("照片未能从微信取回"),
                    std::string::npos);
        }
      }
    }
    expect_other_channels_unaffected("wechat " + fault);
  }
  // Two refusals of each app's token, one forced refresh each: WeChat allows 20 a day.
  EXPECT_EQ(standin_->calls("stable_token_forced"), 2);
  EXPECT_NE(log().find("event=wechat_photo_not_fetched"), std::string::npos);

  standin_->set_fault("none");
  const auto before = standin_->calls("media_get").value_or(0);
  auto photo = photo_push(citizen(99), "photo-back", "7200000000000000099");
  ASSERT_EQ(photo.status, 200) << photo.body;
  ASSERT_TRUE(feed_->wait_until(
      [&](const auto& messages) {
        for (const auto& m : messages) {
          if (json_string(m.payload, "/data/media/0/media_type") == "image/jpeg") return true;
        }
        return false;
      },
      deadline))
      << "the photo is fetched again once WeChat answers";
  EXPECT_EQ(standin_->calls("media_get"), before + 1);
  // The content check is back too: a risky text is refused again.
  auto risky = http_.post_json(collector_->base_url() + "/mp/v1/submissions",
                               R"({"description":"RISKY text"})", session);
  EXPECT_EQ(risky.status, 422) << risky.body;
  const auto messages = feed_->messages();
  EXPECT_EQ(distinct_values(messages, "/id").size(), messages.size());
}

}  // namespace
}  // namespace intake::testing
