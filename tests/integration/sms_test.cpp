// The sms channel against a real Kannel (bearerbox + smsbox + fakesmsc) and a real mosquitto:
// texts from phones arrive as events, the citizen gets the tracking number back as an SMS,
// several texts in a row join into one request, and nothing is lost or doubled by a gateway
// retry or a crash mid-window.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "common/core/hmac.hpp"
#include "tests/integration/support/free_port.hpp"
#include "tests/integration/support/integration_fixture.hpp"
#include "tests/integration/support/json_fields.hpp"
#include "tests/integration/support/kannel_gateway.hpp"
#include "tests/integration/support/metrics_text.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto event_deadline = 20s;
constexpr auto reply_deadline = 20s;
constexpr const char* secret = "k4nnel-secret-for-tests";
constexpr const char* webhook_key = "webhook-key-for-tests";

std::string hex_hmac(const std::string& key, const std::string& body) {
  return core::to_hex(core::hmac_sha256(key, body));
}

class sms_test : public integration_fixture {
 protected:
  /// Broker, feed, collector with the sms channel on a known port, then Kannel calling it.
  void start_sms(const std::string& quiet_period = "1s", collector_config config = {},
                 bool with_kannel = true, bool post_url = false) {
    port_ = pick_free_port();
    std::ofstream(dir_ / "sms.secret") << secret << "\n";
    std::ofstream(dir_ / "webhook.key") << webhook_key << "\n";
    kannel_ = std::make_unique<kannel_gateway>(dir_ / "kannel", port_, secret, post_url);
    std::ofstream(dir_ / "sendsms.password") << kannel_->sendsms_password() << "\n";
    config.set("http.listen", toml_string("127.0.0.1:" + std::to_string(port_)))
        .set("channels.sms.enabled", "true")
        .set("channels.sms.secret_file", toml_string((dir_ / "sms.secret").string()))
        .set("channels.sms.quiet_period", toml_string(quiet_period))
        .set("channels.sms.sendsms_url", toml_string(kannel_->sendsms_url()))
        .set("channels.sms.sendsms_user", toml_string(kannel_->sendsms_user()))
        .set("channels.sms.sendsms_password_file",
             toml_string((dir_ / "sendsms.password").string()))
        .set("channels.sms.sendsms_from", toml_string(kannel_gateway::service_number))
        .set("channels.sms.reply_backoff_min", toml_string("200ms"))
        .set("channels.sms.webhook_enabled", "true")
        .set("channels.sms.webhook_secret_file", toml_string((dir_ / "webhook.key").string()));
    start_all(std::move(config));
    if (with_kannel) kannel_->start();
  }

  void TearDown() override {
    kannel_.reset();  // stop calling the collector before it stops
    integration_fixture::TearDown();
  }

  std::string kannel_url(const std::string& query) const {
    return collector_->base_url() + "/sms/kannel?" + query;
  }

  std::optional<double> metric(const std::string& series) {
    auto res = http_.get(collector_->base_url() + "/metrics");
    if (res.status != 200) return std::nullopt;
    return metric_value(res.body, series);
  }

  /// True once the collector has taken `count` texts (new or joined); false at the deadline.
  bool wait_parts_taken(double count) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      const double taken = metric(R"(intake_sms_parts_total{status="opened"})").value_or(0) +
                           metric(R"(intake_sms_parts_total{status="appended"})").value_or(0);
      if (taken >= count) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  /// The first event from a sender's phone number.
  std::optional<feed_message> event_of(const std::string& phone) const {
    for (const auto& m : feed_->messages()) {
      if (json_string(m.payload, "/data/submitter/phone") == phone) return m;
    }
    return std::nullopt;
  }

  bool wait_event_of(const std::string& phone) const {
    return feed_->wait_until(
        [&](const auto& messages) {
          for (const auto& m : messages) {
            if (json_string(m.payload, "/data/submitter/phone") == phone) return true;
          }
          return false;
        },
        event_deadline);
  }

  bool reply_with(const std::string& to, const std::string& fragment) const {
    return kannel_->wait_for_reply(
        [&](const mt_message& m) {
          return m.to == to && m.text.find(fragment) != std::string::npos;
        },
        reply_deadline);
  }

  std::uint16_t port_ = 0;
  std::unique_ptr<kannel_gateway> kannel_;
};

TEST_F(sms_test, ascii_and_chinese_texts_arrive_and_the_citizen_gets_the_tracking_number) {
  start_sms();
  kannel_->send_text("13800138000", kannel_gateway::service_number, "Street lamp broken at gate 3");
  ASSERT_TRUE(wait_event_of("+8613800138000")) << "the ASCII text never reached the feed";
  const auto ascii = *event_of("+8613800138000");
  const auto tracking = json_string(ascii.payload, "/data/tracking_number").value_or("?");
  EXPECT_EQ(ascii.topic, "intake/v1/440303/request");
  EXPECT_EQ(json_string(ascii.payload, "/data/channel"), "sms");
  EXPECT_EQ(json_string(ascii.payload, "/data/description"), "Street lamp broken at gate 3");
  EXPECT_EQ(json_string(ascii.payload, "/data/submitter/phone_masked"), "138****8000");
  EXPECT_TRUE(json_string(ascii.payload, "/data/source_ref")) << "Kannel's message id";
  EXPECT_TRUE(reply_with("+8613800138000", tracking))
      << "no reply with " << tracking << " reached the fake SMSC";

  kannel_->send_ucs2("+8613900139000", kannel_gateway::service_number,
                     "小区门口路灯坏了，已经一个星期了");
  ASSERT_TRUE(wait_event_of("+8613900139000")) << "the UCS-2 text never reached the feed";
  const auto chinese = *event_of("+8613900139000");
  EXPECT_EQ(json_string(chinese.payload, "/data/description_original"),
            "小区门口路灯坏了，已经一个星期了");
  EXPECT_FALSE(json_string(chinese.payload, "/data/undecodable/0/raw_hex"));
  const auto chinese_tracking = json_string(chinese.payload, "/data/tracking_number").value_or("?");
  EXPECT_TRUE(reply_with("+8613900139000", chinese_tracking));
  for (const auto& r : kannel_->replies()) EXPECT_NE(r.to, kannel_gateway::service_number);
}

TEST_F(sms_test, post_url_delivers_the_raw_text_with_kannel_headers) {
  start_sms("1s", {}, /*with_kannel=*/true, /*post_url=*/true);
  kannel_->send_ucs2("+8613900139000", kannel_gateway::service_number, "路灯坏了，请尽快修");
  ASSERT_TRUE(wait_event_of("+8613900139000"));
  const auto m = *event_of("+8613900139000");
  EXPECT_EQ(json_string(m.payload, "/data/description_original"), "路灯坏了，请尽快修");
  EXPECT_TRUE(json_string(m.payload, "/data/source_ref"));
  EXPECT_TRUE(reply_with("+8613900139000", json_string(m.payload, "/subject").value_or("?")));
}

TEST_F(sms_test, an_emergency_is_forwarded_at_once_and_the_reply_says_call_now) {
  start_sms("30s");  // an emergency must not wait for the quiet period
  kannel_->send_ucs2("13700137000", kannel_gateway::service_number, "楼道着火了，有人被困！");
  ASSERT_TRUE(feed_->wait_for(1, 10s)) << "the emergency waited for the quiet period";
  const auto m = feed_->messages().front();
  EXPECT_EQ(m.topic, "intake/v1/440303/urgent");
  EXPECT_EQ(json_string(m.payload, "/data/triage/referral"), "119");
  EXPECT_TRUE(reply_with("+8613700137000", "119"));
}

TEST_F(sms_test, three_texts_within_the_quiet_period_become_one_event) {
  start_sms("3s");
  const auto before = std::chrono::steady_clock::now();
  // One after the other, as a citizen sends them: Kannel calls the collector concurrently, so
  // texts handed over in the same instant may arrive in any order.
  kannel_->send_ucs2("13800138000", kannel_gateway::service_number, "小区门口的路灯");
  ASSERT_TRUE(wait_parts_taken(1));
  kannel_->send_ucs2("13800138000", kannel_gateway::service_number, "坏了一个星期");
  ASSERT_TRUE(wait_parts_taken(2));
  kannel_->send_ucs2("13800138000", kannel_gateway::service_number, "晚上很危险");
  ASSERT_TRUE(wait_parts_taken(3));
  const auto spread = std::chrono::steady_clock::now() - before;
  ASSERT_LT(spread, 3s) << "the texts were not sent within the quiet period";
  ASSERT_TRUE(feed_->wait_for(1, event_deadline));
  EXPECT_FALSE(feed_->wait_for(2, 4s)) << "the texts were not joined";
  const auto m = feed_->messages().front();
  EXPECT_EQ(json_string(m.payload, "/data/description_original"),
            "小区门口的路灯\n坏了一个星期\n晚上很危险");
  EXPECT_EQ(json_string(m.payload, "/data/description"), "小区门口的路灯 坏了一个星期 晚上很危险");
  const auto tracking = json_string(m.payload, "/data/tracking_number").value_or("?");
  EXPECT_TRUE(reply_with("+8613800138000", tracking));
  // One reply for the three texts: the citizen is not flooded.
  std::size_t to_citizen = 0;
  for (const auto& r : kannel_->replies()) to_citizen += r.to == "+8613800138000";
  EXPECT_EQ(to_citizen, 1u);
}

TEST_F(sms_test, a_repeated_gateway_id_gets_the_same_number_and_no_second_event) {
  start_sms();
  kannel_->send_text("13800138000", kannel_gateway::service_number, "Manhole cover missing");
  ASSERT_TRUE(feed_->wait_for(1, event_deadline));
  const auto first = feed_->messages().front();
  const auto id = json_string(first.payload, "/data/source_ref");
  ASSERT_TRUE(id);
  // Kannel retries with the same %I when its answer was lost.
  auto retry = http_.get(kannel_url(std::string("secret=") + secret +
                                    "&from=13800138000&to=12345&text=Manhole+cover+missing"
                                    "&coding=0&charset=UTF-8&smsc=fake&id=" +
                                    *id));
  EXPECT_EQ(retry.status, 200);
  EXPECT_EQ(retry.header("x-intake-tracking-number"),
            json_string(first.payload, "/data/tracking_number"));
  EXPECT_FALSE(feed_->wait_for(2, 3s)) << "the retry made a second event";
  EXPECT_EQ(metric(R"(intake_sms_parts_total{status="repeated"})"), 1.0);
}

TEST_F(sms_test, a_text_sent_while_the_collector_is_down_arrives_once_through_kannels_retry) {
  start_sms();
  collector_->kill9();
  // Kannel finds the callback refused and tries again (http-request-retry) until it answers.
  kannel_->send_text("13800138000", kannel_gateway::service_number, "Water pipe burst");
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (kannel_->callback_attempts() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_GE(kannel_->callback_attempts(), 2u) << "Kannel did not retry the refused callback";
  collector_->restart();
  ASSERT_TRUE(feed_->wait_for(1, event_deadline)) << "Kannel's retry never arrived";
  EXPECT_FALSE(feed_->wait_for(2, 3s));
  EXPECT_EQ(json_string(feed_->messages().front().payload, "/data/description"),
            "Water pipe burst");
}

TEST_F(sms_test, a_wrong_or_missing_secret_is_refused_and_nothing_is_stored) {
  start_sms("1s", {}, /*with_kannel=*/false);
  const std::string rest = "&from=13800138000&to=12345&text=hello&id=forged-1";
  EXPECT_EQ(http_.get(kannel_url("secret=wrong" + rest)).status, 401);
  EXPECT_EQ(http_.get(kannel_url(rest.substr(1))).status, 401);
  EXPECT_EQ(http_.get(kannel_url(std::string("secret=") + secret + "x" + rest)).status, 401);
  EXPECT_EQ(metric(R"(intake_submissions_rejected_total{channel="sms",code="unauthorized"})"), 3.0);
  EXPECT_FALSE(feed_->wait_for(1, 2s));
  EXPECT_EQ(metric("intake_sms_windows"), 0.0);
  EXPECT_EQ(outbox_depth_metric(), 0.0);
  // The same id with the right secret is then taken: the forgeries left no trace of it.
  auto genuine = http_.get(kannel_url(std::string("secret=") + secret + rest));
  EXPECT_EQ(genuine.status, 200);
  EXPECT_TRUE(feed_->wait_for(1, event_deadline));
}

TEST_F(sms_test, a_gateway_at_an_address_not_allowed_gets_403) {
  collector_config config;
  config.set("channels.sms.allow_from", R"(["10.9.9.9"])");
  start_sms("1s", config, /*with_kannel=*/false);
  auto res = http_.get(
      kannel_url(std::string("secret=") + secret + "&from=13800138000&to=12345&text=hello&id=x1"));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(metric(R"(intake_submissions_rejected_total{channel="sms",code="forbidden"})"), 1.0);
  EXPECT_FALSE(feed_->wait_for(1, 2s));
}

TEST_F(sms_test, the_collector_killed_mid_window_still_joins_the_parts_after_restart) {
  start_sms("3s");
  kannel_->send_ucs2("13800138000", kannel_gateway::service_number, "垃圾三天没人收");
  ASSERT_TRUE(wait_parts_taken(1));
  kannel_->send_ucs2("13800138000", kannel_gateway::service_number, "臭味很大");
  ASSERT_TRUE(wait_parts_taken(2));
  collector_->kill9();
  EXPECT_EQ(feed_->size(), 0u) << "nothing was forwarded before the quiet period ended";
  collector_->restart();
  ASSERT_TRUE(feed_->wait_for(1, event_deadline)) << "the parts were lost in the crash";
  EXPECT_FALSE(feed_->wait_for(2, 3s));
  EXPECT_EQ(json_string(feed_->messages().front().payload, "/data/description_original"),
            "垃圾三天没人收\n臭味很大");
}

TEST_F(sms_test, bad_bytes_are_kept_flagged_and_bad_input_gets_a_clear_error) {
  start_sms("1s", {}, /*with_kannel=*/false);
  const std::string auth = std::string("secret=") + secret;
  // GBK with a broken trail byte: taken, the rest of the text intact, the bytes kept.
  auto broken = http_.get(
      kannel_url(auth + "&from=13800138000&to=12345&text=%C2%B7%81%20%B5%C6&charset=GBK&id=b1"));
  EXPECT_EQ(broken.status, 200);
  ASSERT_TRUE(feed_->wait_for(1, event_deadline));
  const auto p = feed_->messages().front().payload;
  EXPECT_EQ(json_string(p, "/data/undecodable/0/raw_hex"), "c2b78120b5c6");
  EXPECT_EQ(json_string(p, "/data/undecodable/0/charset"), "GB18030");
  EXPECT_EQ(json_string(p, "/data/description_original"), "路\xEF\xBF\xBD 灯");

  struct refusal {
    std::string query;
    long status;
    const char* code;
  };
  const refusal cases[] = {
      {auth + "&to=12345&text=hi", 422, "missing_field"},
      {auth + "&from=13800138000&text=", 422, "missing_field"},
      {auth + "&from=13800138000&text=%ZZ", 400, "bad_request"},
      {auth + "&from=13800138000&text=" + std::string(1601, 'a'), 422, "field_too_long"},
  };
  for (const auto& c : cases) {
    auto res = http_.get(kannel_url(c.query));
    EXPECT_EQ(res.status, c.status) << c.query.substr(0, 80);
    EXPECT_EQ(json_string(res.body, "/error"), c.code) << res.body;
  }
  EXPECT_FALSE(feed_->wait_for(2, 2s));
}

TEST_F(sms_test, a_signed_webhook_is_taken_and_a_bad_signature_refused) {
  start_sms("1s", {}, /*with_kannel=*/false);
  const std::string body =
      R"({"from":"13600136000","to":"12345","text":"公园长椅坏了","id":"cloud-77"})";
  const std::string url = collector_->base_url() + "/sms/webhook";
  auto forged = http_.post_json(url, body, {{"X-Signature", std::string(64, '0')}});
  EXPECT_EQ(forged.status, 401);
  auto unsigned_ = http_.post_json(url, body);
  EXPECT_EQ(unsigned_.status, 401);

  auto ok = http_.post_json(url, body, {{"X-Signature", "sha256=" + hex_hmac(webhook_key, body)}});
  ASSERT_EQ(ok.status, 202) << ok.body;
  const auto tracking = json_string(ok.body, "/tracking_number");
  ASSERT_TRUE(feed_->wait_for(1, event_deadline));
  const auto p = feed_->messages().front().payload;
  EXPECT_EQ(json_string(p, "/data/tracking_number"), tracking);
  EXPECT_EQ(json_string(p, "/data/description"), "公园长椅坏了");
  EXPECT_EQ(json_string(p, "/data/submitter/phone"), "+8613600136000");

  auto again = http_.post_json(url, body, {{"X-Signature", hex_hmac(webhook_key, body)}});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(json_string(again.body, "/status"), "duplicate");
  EXPECT_FALSE(feed_->wait_for(2, 2s));
}

TEST_F(sms_test, phone_numbers_never_reach_the_log) {
  start_sms();
  kannel_->send_text("13800138000", kannel_gateway::service_number, "Noise at night");
  ASSERT_TRUE(feed_->wait_for(1, event_deadline));
  ASSERT_TRUE(reply_with("+8613800138000", "-"));
  const std::string log = read_file(collector_->log_path());
  EXPECT_EQ(log.find("13800138000"), std::string::npos) << log;
  EXPECT_NE(log.find("sms_part_taken"), std::string::npos);
  EXPECT_NE(log.find("reply_sent"), std::string::npos);
}

}  // namespace
}  // namespace intake::testing
