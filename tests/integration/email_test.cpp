// The e-mail channel against a real Dovecot (IMAP), a real SMTP server (aiosmtpd) and the real
// mosquitto: mail delivered into the Maildir becomes events, is moved aside only once durable,
// is answered with its tracking number, and is never taken twice.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "channels/email/mime_parser.hpp"
#include "tests/integration/support/dovecot_server.hpp"
#include "tests/integration/support/feed_queries.hpp"
#include "tests/integration/support/integration_fixture.hpp"
#include "tests/integration/support/json_fields.hpp"
#include "tests/integration/support/metrics_text.hpp"
#include "tests/integration/support/smtp_sink.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto deadline = 30s;
constexpr const char* reply_from = "12345@mail.county.gov.cn";

std::string fixture(const std::string& name) {
  return read_file(std::filesystem::path(INTAKE_SOURCE_DIR) / "tests/data/email" / name);
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return done();
}

// The event whose data.source_ref is `message_id`.
std::optional<std::string> event_for(const std::vector<feed_message>& messages,
                                     const std::string& message_id) {
  for (const auto& m : messages) {
    if (json_string(m.payload, "/data/source_ref") == message_id) return m.payload;
  }
  return std::nullopt;
}

class email_test : public integration_fixture {
 protected:
  void start_with_mail(collector_config config = {}, bool tls = false,
                       std::string dovecot_config = {}) {
    dovecot_ = std::make_unique<dovecot_server>(dir_ / "dovecot", tls, std::move(dovecot_config));
    // A test that needs another poll interval sets its own.
    config.settings.emplace("channels.email.poll_interval", toml_string("200ms"));
    sink_ = std::make_unique<smtp_sink>(dir_ / "smtp");
    config.set("channels.email.enabled", "true")
        .set("channels.email.imap_url", toml_string(dovecot_->url()))
        .set("channels.email.username", toml_string(dovecot_server::user))
        .set("channels.email.password_file", toml_string(dovecot_->password_file().string()))
        .set("channels.email.allow_plaintext", tls ? "false" : "true")
        .set("channels.email.smtp_url", toml_string(sink_->url()))
        .set("channels.email.reply_from", toml_string(reply_from))
        .set("channels.email.reply_per_address_burst", "20")
        .set("channels.email.reply_backoff_min", toml_string("100ms"));
    start_all(config);
  }

  bool wait_inbox_empty() {
    return wait_until([&] { return dovecot_->count("INBOX") == 0; }, deadline);
  }

  std::string metrics_text() {
    auto r = http_.get(collector_->base_url() + "/metrics");
    return r.body;
  }

  // The IDLE connection waits for new mail (intake_email_idle_active is 1), or not.
  bool wait_idle_active(bool active) {
    return wait_until(
        [&] {
          return metric_value(metrics_text(), "intake_email_idle_active") == (active ? 1 : 0);
        },
        deadline);
  }

  void TearDown() override {
    integration_fixture::TearDown();
    sink_.reset();
    dovecot_.reset();
  }

  std::unique_ptr<dovecot_server> dovecot_;
  std::unique_ptr<smtp_sink> sink_;
};

struct delivered_case {
  const char* fixture;
  const char* message_id;
  const char* original_contains;  // in data.description_original, exactly as written
};

const std::vector<delivered_case> delivered = {
    {"gb2312_body_gbk_subject.eml", "gb2312-1@example.cn", "喆园小区3栋门口的路灯已经坏了一个星期"},
    {"big5.eml", "big5-1@example.cn", "社區門口的路燈壞了一個星期"},
    {"utf8_qp.eml", "utf8qp-1@example.cn", "中山路与解放路交叉口的红绿灯坏了"},
    {"html_only.eml", "html-1@example.cn", "小区垃圾 三天没有清运&气味很大。"},
    {"jpeg_attachment.eml", "jpeg-1@example.cn", "人民路口的井盖破损"},
    {"forwarded.eml", "fwd-1@example.cn", "5号楼2单元楼道堆满杂物"},
    {"alternative.eml", "alt-1@example.cn", "纯文本版本：工地夜间施工噪音扰民"},
};

TEST_F(email_test, mail_becomes_events_is_moved_and_answered_with_the_tracking_number) {
  start_with_mail();
  for (const auto& c : delivered) dovecot_->deliver(fixture(c.fixture), c.message_id);

  ASSERT_TRUE(feed_->wait_for(delivered.size(), deadline)) << feed_->size() << " events";
  const auto messages = feed_->messages();
  std::map<std::string, std::string> tracking_by_id;
  for (const auto& c : delivered) {
    SCOPED_TRACE(c.fixture);
    const auto event = event_for(messages, c.message_id);
    ASSERT_TRUE(event);
    EXPECT_EQ(json_string(*event, "/data/channel"), "email");
    const auto original = json_string(*event, "/data/description_original");
    ASSERT_TRUE(original);
    EXPECT_NE(original->find(c.original_contains), std::string::npos) << *original;
    EXPECT_EQ(json_string(*event, "/data/dedup/status"), "new");
    tracking_by_id[c.message_id] = json_string(*event, "/data/tracking_number").value_or("");
  }
  const auto gb = *event_for(messages, "gb2312-1@example.cn");
  EXPECT_EQ(json_string(gb, "/data/title"), "喆园小区路灯不亮");
  EXPECT_EQ(json_string(gb, "/data/submitter/phone_masked"), "138****8000");
  EXPECT_EQ(json_string(gb, "/data/submitter/email_masked"), "z***@example.cn");
  const auto jpeg = *event_for(messages, "jpeg-1@example.cn");
  EXPECT_EQ(json_string(jpeg, "/data/media/0/media_type"), "image/jpeg");
  EXPECT_EQ(json_string(jpeg, "/data/media/0/name"), "井盖.jpg");

  // Moved (and flagged \Seen: Maildir's ":2,S") only after the commit.
  ASSERT_TRUE(wait_inbox_empty());
  ASSERT_TRUE(
      wait_until([&] { return dovecot_->count("Processed") == delivered.size(); }, deadline));
  for (const auto& f : dovecot_->messages("Processed"))
    EXPECT_NE(f.filename().string().find(":2,S"), std::string::npos) << f;

  ASSERT_TRUE(sink_->wait_for(delivered.size(), deadline))
      << sink_->messages().size() << " replies";
  std::set<std::string> answered;
  for (const auto& text : sink_->messages()) {
    auto reply = channels::email::parse_email(text);
    ASSERT_TRUE(reply) << text;
    const auto in_reply_to = reply->in_reply_to;
    ASSERT_TRUE(tracking_by_id.count(in_reply_to)) << in_reply_to;
    const auto& tracking = tracking_by_id[in_reply_to];
    answered.insert(in_reply_to);
    EXPECT_EQ(reply->subject, "来信已受理（受理编号 " + tracking + "）");
    EXPECT_NE(reply->body_text.find("受理编号：" + tracking), std::string::npos);
    EXPECT_EQ(reply->header("Auto-Submitted"), "auto-replied");
    EXPECT_EQ(reply->from_address, reply_from);
    EXPECT_EQ(reply->references.back(), in_reply_to);
    // Raw Chinese never goes into a header: the subject is RFC 2047-encoded.
    EXPECT_NE(text.find("Subject: =?UTF-8?B?"), std::string::npos);
    const auto rcpt = reply->header("X-RcptTo");
    EXPECT_TRUE(rcpt == "zhang.san@example.cn") << rcpt.value_or("");
  }
  EXPECT_EQ(answered.size(), delivered.size());
  const auto log = read_file(collector_->log_path());
  EXPECT_EQ(log.find("zhang.san"), std::string::npos) << "an address reached the log";
}

TEST_F(email_test, auto_replies_and_bounces_produce_no_event_and_no_reply) {
  start_with_mail();
  dovecot_->deliver(fixture("auto_reply.eml"), "1-ooo");
  dovecot_->deliver(fixture("bounce.eml"), "2-bounce");
  dovecot_->deliver(fixture("utf8_qp.eml"), "3-person");

  ASSERT_TRUE(feed_->wait_for(1, deadline));
  ASSERT_TRUE(wait_inbox_empty());
  ASSERT_TRUE(sink_->wait_for(1, deadline));
  // Several more polls: nothing else comes.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(feed_->size(), 1u);
  EXPECT_TRUE(event_for(feed_->messages(), "utf8qp-1@example.cn"));
  EXPECT_EQ(sink_->messages().size(), 1u);
  EXPECT_EQ(dovecot_->count("Processed"), 3u);
  const auto metrics = metrics_text();
  EXPECT_NE(metrics.find("intake_email_automatic_total{reason=\"auto_submitted\"} 1"),
            std::string::npos);
}

TEST_F(email_test, unparseable_mail_is_quarantined_on_the_server_and_in_the_data_dir) {
  start_with_mail();
  dovecot_->deliver(fixture("garbage.eml"), "1-garbage");
  dovecot_->deliver(fixture("broken_mime.eml"), "2-broken");
  dovecot_->deliver(fixture("big5.eml"), "3-person");

  ASSERT_TRUE(feed_->wait_for(1, deadline));
  ASSERT_TRUE(wait_inbox_empty());
  ASSERT_TRUE(wait_until([&] { return dovecot_->count("Quarantine") == 2; }, deadline));
  EXPECT_EQ(dovecot_->count("Processed"), 1u);
  std::this_thread::sleep_for(1000ms);
  EXPECT_EQ(feed_->size(), 1u);

  const auto quarantine = collector_->data_dir() / "email" / "quarantine";
  std::size_t copies = 0;
  for (const auto& f : std::filesystem::directory_iterator(quarantine))
    copies += f.path().extension() == ".eml";
  EXPECT_EQ(copies, 2u);
  const auto metrics = metrics_text();
  EXPECT_NE(metrics.find("intake_email_quarantined_total{reason=\"unparseable\"} 2"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("intake_email_quarantine_files 2"), std::string::npos);

  const auto listed = run_command({std::string(INTAKE_BIN_DIR) + "/intakectl", "email",
                                   "quarantine", "--config", collector_->config_path().string()},
                                  dir_ / "intakectl-email.out", 10s);
  EXPECT_EQ(listed.exit_status, 0) << listed.output;
  EXPECT_NE(listed.output.find("broken MIME structure"), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("not a mail message"), std::string::npos) << listed.output;
}

TEST_F(email_test, a_message_over_the_size_cap_is_quarantined_without_being_fetched) {
  collector_config config;
  config.set("channels.email.max_message_bytes", toml_string("64KiB"));
  start_with_mail(config);
  std::string big = fixture("utf8_qp.eml");
  big.replace(big.find("utf8qp-1@"), 8, "too-big-1");
  big += std::string(100 * 1024, 'x') + "\r\n";
  dovecot_->deliver(big, "1-big");
  dovecot_->deliver(fixture("big5.eml"), "2-person");
  ASSERT_TRUE(feed_->wait_for(1, deadline));
  ASSERT_TRUE(wait_inbox_empty());
  EXPECT_EQ(dovecot_->count("Quarantine"), 1u);
  EXPECT_TRUE(event_for(feed_->messages(), "big5-1@example.cn"));
  EXPECT_NE(metrics_text().find("intake_email_quarantined_total{reason=\"too_large\"} 1"),
            std::string::npos);
  const auto listed =
      run_command({std::string(INTAKE_BIN_DIR) + "/intakectl", "email", "quarantine", "--json",
                   "--config", collector_->config_path().string()},
                  dir_ / "intakectl-email.out", 10s);
  EXPECT_NE(listed.output.find("\"reason\":\"too_large\""), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("\"has_copy\":false"), std::string::npos) << listed.output;
}

TEST_F(email_test, killed_between_commit_and_move_gives_exactly_one_event_after_restart) {
  // The collector kills itself (SIGKILL) right after the commit, before flagging and moving.
  ::setenv("INTAKE_EMAIL_FAULT", "kill_after_commit", 1);
  start_with_mail();
  ::unsetenv("INTAKE_EMAIL_FAULT");
  dovecot_->deliver(fixture("gb2312_body_gbk_subject.eml"), "1-crash");
  const auto status = collector_->wait_exit(deadline);
  ASSERT_TRUE(status) << "the collector did not reach the fault point";
  EXPECT_EQ(*status, 128 + SIGKILL);
  EXPECT_EQ(dovecot_->count("INBOX"), 1u) << "moved although the process died before the move";

  collector_->restart();
  ASSERT_TRUE(wait_inbox_empty());
  ASSERT_TRUE(feed_->wait_for(1, deadline));
  ASSERT_TRUE(sink_->wait_for(1, deadline));
  std::this_thread::sleep_for(1500ms);
  const auto messages = feed_->messages();
  EXPECT_EQ(distinct_values(messages, "/id").size(), 1u);
  for (const auto& [id, payloads] : payloads_by_id(messages)) EXPECT_EQ(payloads.size(), 1u) << id;
  EXPECT_EQ(dovecot_->count("Processed"), 1u);
  EXPECT_EQ(sink_->messages().size(), 1u);
  EXPECT_NE(metrics_text().find("intake_email_messages_total{outcome=\"replayed\"} 1"),
            std::string::npos);
}

TEST_F(email_test, a_new_uidvalidity_rescans_without_duplicate_events) {
  start_with_mail();
  dovecot_->deliver(fixture("big5.eml"), "1-big5");
  dovecot_->deliver(fixture("utf8_qp.eml"), "2-utf8");
  ASSERT_TRUE(feed_->wait_for(2, deadline));
  ASSERT_TRUE(wait_inbox_empty());
  const auto state_file = collector_->data_dir() / "email" / "mailbox.state.json";
  const auto before = json_int(read_file(state_file), "/uidvalidity");
  ASSERT_TRUE(before);

  // The server is rebuilt from a backup taken before the moves: the same two messages are back
  // in the INBOX, under new UIDs and a new UIDVALIDITY.
  for (const auto& f : dovecot_->messages("Processed"))
    dovecot_->deliver(read_file(f), "restored-" + f.filename().string().substr(0, 20));
  dovecot_->reset_uids();

  ASSERT_TRUE(wait_until([&] { return json_int(read_file(state_file), "/uidvalidity") != before; },
                         deadline));
  ASSERT_TRUE(wait_inbox_empty());
  std::this_thread::sleep_for(1500ms);
  const auto messages = feed_->messages();
  EXPECT_EQ(distinct_values(messages, "/id").size(), 2u);
  EXPECT_EQ(messages.size(), 2u);
  EXPECT_NE(metrics_text().find("intake_email_messages_total{outcome=\"replayed\"} 2"),
            std::string::npos);
}

TEST_F(email_test, a_20_mb_attachment_is_left_out_and_the_message_still_taken) {
  start_with_mail();
  std::string photo = "\xFF\xD8\xFF\xE0";
  photo.resize(20 * 1024 * 1024);
  std::mt19937 rng(5);
  for (std::size_t i = 4; i < photo.size(); ++i) photo[i] = static_cast<char>(rng());
  static constexpr char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  encoded.reserve(photo.size() * 4 / 3 + photo.size() / 38 + 8);
  for (std::size_t i = 0; i + 2 < photo.size() + 2; i += 3) {
    const auto byte = [&](std::size_t k) {
      return k < photo.size() ? static_cast<unsigned char>(photo[k]) : 0u;
    };
    const unsigned n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    encoded += b64[(n >> 18) & 63];
    encoded += b64[(n >> 12) & 63];
    encoded += i + 1 < photo.size() ? b64[(n >> 6) & 63] : '=';
    encoded += i + 2 < photo.size() ? b64[n & 63] : '=';
    if (encoded.size() % 77 == 76) encoded += "\r\n";
  }
  const std::string message =
      "From: zhang.san@example.cn\r\nTo: 12345@mail.county.gov.cn\r\n"
      "Message-ID: <big-1@example.cn>\r\nSubject: =?UTF-8?B?5aSn54Wn54mH?=\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
      "--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n河道里有大量垃圾，照片很大。\r\n"
      "--B\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=\"big.jpg\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n" +
      encoded + "\r\n--B--\r\n";
  dovecot_->deliver(message, "1-big");

  ASSERT_TRUE(feed_->wait_for(1, deadline));
  const auto event = event_for(feed_->messages(), "big-1@example.cn");
  ASSERT_TRUE(event);
  EXPECT_NE(json_string(*event, "/data/description_original")->find("河道里有大量垃圾"),
            std::string::npos);
  EXPECT_FALSE(json_string(*event, "/data/media/0/sha256"))
      << "a 20 MB photo passed the 10 MiB cap";
  ASSERT_TRUE(wait_inbox_empty());
  EXPECT_NE(metrics_text().find("intake_email_attachments_dropped_total{reason=\"too_large\"} 1"),
            std::string::npos);
}

TEST_F(email_test, an_emergency_goes_to_the_urgent_topic_and_its_reply_says_whom_to_call) {
  start_with_mail();
  dovecot_->deliver(
      "From: li.si@example.cn\r\nTo: 12345@mail.county.gov.cn\r\n"
      "Message-ID: <fire-1@example.cn>\r\nSubject: =?UTF-8?B?5pWR5ZG9?=\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n\r\n"
      "\xE6\xA5\xBC\xE9\x81\x93\xE7\x9D\x80\xE7\x81\xAB\xE4\xBA\x86\xEF\xBC\x8C"
      "\xE6\x9C\x89\xE4\xBA\xBA\xE8\xA2\xAB\xE5\x9B\xB0\xEF\xBC\x81\r\n",  // 楼道着火了，有人被困！
      "1-fire");
  ASSERT_TRUE(feed_->wait_for(1, deadline));
  const auto messages = feed_->messages();
  EXPECT_EQ(messages[0].topic, "intake/v1/440303/urgent");
  EXPECT_EQ(json_string(messages[0].payload, "/data/triage/referral"), "119");
  ASSERT_TRUE(sink_->wait_for(1, deadline));
  auto reply = channels::email::parse_email(sink_->messages()[0]);
  ASSERT_TRUE(reply);
  EXPECT_NE(reply->body_text.find("请立即拨打119"), std::string::npos) << reply->body_text;
}

TEST_F(email_test, a_reply_waits_for_the_smtp_server_without_holding_up_intake) {
  collector_config config;
  config.set("channels.email.reply_backoff_max", toml_string("300ms"))
      .set("channels.email.reply_max_attempts", "100");
  start_with_mail(config);
  sink_->stop();
  dovecot_->deliver(fixture("big5.eml"), "1-big5");
  dovecot_->deliver(fixture("utf8_qp.eml"), "2-utf8");
  // Intake goes on while the SMTP server is down.
  ASSERT_TRUE(feed_->wait_for(2, deadline));
  ASSERT_TRUE(wait_inbox_empty());
  ASSERT_TRUE(wait_until(
      [&] {
        return metrics_text().find("intake_replies_total{channel=\"email\",outcome=\"retried\"}") !=
               std::string::npos;
      },
      deadline));
  sink_->start();
  ASSERT_TRUE(sink_->wait_for(2, deadline));
}

TEST_F(email_test, a_full_outbox_leaves_the_mail_in_the_inbox_until_there_is_room) {
  collector_config config;
  config.set("outbox.max_events", "1");
  start_with_mail(config);
  broker_->stop();  // nothing leaves the outbox: one event fills it
  dovecot_->deliver(fixture("big5.eml"), "1-big5");
  dovecot_->deliver(fixture("utf8_qp.eml"), "2-utf8");
  ASSERT_TRUE(wait_until([&] { return dovecot_->count("Processed") == 1; }, deadline));
  std::this_thread::sleep_for(1000ms);  // several polls meet the full outbox
  ASSERT_EQ(dovecot_->count("INBOX"), 1u);
  // Not taken, so not \Seen: libcurl's fetch sets the flag and the poller clears it again, so
  // it is seen set only for a moment during each poll.
  EXPECT_TRUE(wait_until(
      [&] {
        for (const auto& f : dovecot_->messages("INBOX")) {
          if (f.filename().string().find(":2,S") != std::string::npos) return false;
        }
        return true;
      },
      deadline));

  ASSERT_TRUE(restart_broker_subscriber_first(deadline));
  ASSERT_TRUE(feed_->wait_for(2, deadline));
  ASSERT_TRUE(wait_inbox_empty());
  EXPECT_EQ(distinct_values(feed_->messages(), "/id").size(), 2u);
}

TEST_F(email_test, drains_a_backlog) {
  constexpr int backlog = 300;
  collector_config config;
  config.set("channels.email.smtp_url", toml_string(""));
  start_with_mail(config);
  const std::string body = fixture("utf8_qp.eml");
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < backlog; ++i) {
    std::string message = body;
    const auto id = message.find("utf8qp-1@");
    message.replace(id, 8, "backlog-" + std::to_string(i));
    // Different text each time, or the near-duplicate check (same sender) links them.
    message += "=E7=AC=AC" + std::to_string(i) + "\r\n";
    dovecot_->deliver(message, "m" + std::to_string(i));
  }
  ASSERT_TRUE(feed_->wait_for(backlog, 120s)) << feed_->size();
  ASSERT_TRUE(wait_until([&] { return dovecot_->count("INBOX") == 0; }, 60s));
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "[   info   ] " << backlog << " messages polled, committed and moved in " << seconds
            << " s (" << backlog / seconds << " messages/s)\n";
  EXPECT_EQ(distinct_values(feed_->messages(), "/id").size(), static_cast<std::size_t>(backlog));
}

TEST_F(email_test, sigterm_does_not_wait_for_a_server_that_never_answers) {
  // A listener that takes connections (in the kernel's backlog) and never says a word.
  const int silent = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(silent, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(silent, 16), 0);
  socklen_t length = sizeof address;
  ::getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string url = "imap://127.0.0.1:" + std::to_string(ntohs(address.sin_port));

  collector_config config;
  config.set("channels.email.enabled", "true")
      .set("channels.email.imap_url", toml_string(url))
      .set("channels.email.allow_plaintext", "true")
      .set("channels.email.connect_timeout", toml_string("60s"))
      .set("channels.email.command_timeout", toml_string("120s"));
  start_all(config);
  std::this_thread::sleep_for(500ms);  // the poller is now waiting for a greeting
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(collector_->terminate(20s), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  ::close(silent);
}

TEST_F(email_test, imaps_works_with_a_trusted_certificate) {
  collector_config config;
  // The certificate is made by the server's constructor; its path is known in advance.
  config.set("channels.email.ca_file", toml_string((dir_ / "dovecot" / "cert.pem").string()))
      .set("channels.email.poll_interval", toml_string("300s"));
  start_with_mail(config, true);
  // The IDLE connection (Asio's TLS, not libcurl's) trusts the same certificate.
  ASSERT_TRUE(wait_idle_active(true)) << read_file(collector_->log_path());
  dovecot_->deliver(fixture("utf8_qp.eml"), "1-tls");
  ASSERT_TRUE(feed_->wait_for(1, deadline));
  ASSERT_TRUE(wait_inbox_empty());
}

TEST_F(email_test, an_untrusted_certificate_is_refused) {
  start_with_mail({}, true);  // no ca_file: the self-signed certificate is not trusted
  dovecot_->deliver(fixture("utf8_qp.eml"), "1-tls");
  ASSERT_TRUE(wait_until(
      [&] { return metrics_text().find("intake_email_poll_errors_total ") != std::string::npos; },
      deadline));
  // The IDLE connection refuses it as well.
  ASSERT_TRUE(wait_until(
      [&] {
        return metric_value(metrics_text(), "intake_email_idle_failures_total").value_or(0) >= 1;
      },
      deadline));
  std::this_thread::sleep_for(1000ms);
  EXPECT_EQ(feed_->size(), 0u);
  EXPECT_EQ(dovecot_->count("INBOX"), 1u);
  EXPECT_EQ(metric_value(metrics_text(), "intake_email_idle_active"), 0);
  const auto log = read_file(collector_->log_path());
  EXPECT_NE(log.find("certificate"), std::string::npos);
  const auto idle_failed = log.find("email_idle_failed");
  ASSERT_NE(idle_failed, std::string::npos);
  EXPECT_NE(log.substr(idle_failed, log.find('\n', idle_failed) - idle_failed).find("certificate"),
            std::string::npos)
      << log;
}

TEST_F(email_test, idle_takes_new_mail_at_once_although_the_next_poll_is_minutes_away) {
  collector_config config;
  config.set("channels.email.poll_interval", toml_string("300s"));
  start_with_mail(config);
  // The first poll ran at start; the next is due in 300 s. IDLE is now waiting.
  ASSERT_TRUE(wait_idle_active(true)) << read_file(collector_->log_path());
  dovecot_->deliver(fixture("big5.eml"), "1-idle");
  // Within the test's usual wait, far below the interval: only IDLE can have woken the poller.
  ASSERT_TRUE(feed_->wait_for(1, deadline));
  EXPECT_TRUE(event_for(feed_->messages(), "big5-1@example.cn"));
  ASSERT_TRUE(wait_inbox_empty());
  ASSERT_TRUE(sink_->wait_for(1, deadline));
  EXPECT_GE(metric_value(metrics_text(), "intake_email_idle_wakeups_total").value_or(0), 1);

  // A second message: the IDLE goes on after the poller took the first.
  dovecot_->deliver(fixture("utf8_qp.eml"), "2-idle");
  ASSERT_TRUE(feed_->wait_for(2, deadline)) << read_file(collector_->log_path());
  ASSERT_TRUE(wait_inbox_empty());
  const auto log = read_file(collector_->log_path());
  EXPECT_NE(log.find("email_idle_started"), std::string::npos);
  EXPECT_EQ(log.find(dovecot_server::password), std::string::npos) << "the password was logged";
}

TEST_F(email_test, idle_comes_back_after_the_server_restarts) {
  collector_config config;
  config.set("channels.email.poll_interval", toml_string("300s"))
      .set("channels.email.idle_reconnect_min", toml_string("200ms"))
      .set("channels.email.idle_reconnect_max", toml_string("1s"));
  start_with_mail(config);
  ASSERT_TRUE(wait_idle_active(true));
  dovecot_->stop();
  ASSERT_TRUE(wait_idle_active(false));
  // Mail that comes while the watcher is away is taken when it is back, not in 300 s.
  dovecot_->deliver(fixture("big5.eml"), "1-while-away");
  dovecot_->start();
  ASSERT_TRUE(wait_idle_active(true)) << read_file(collector_->log_path());
  ASSERT_TRUE(feed_->wait_for(1, deadline));
  dovecot_->deliver(fixture("utf8_qp.eml"), "2-after");
  ASSERT_TRUE(feed_->wait_for(2, deadline));
  ASSERT_TRUE(wait_inbox_empty());
  EXPECT_GE(metric_value(metrics_text(), "intake_email_idle_failures_total").value_or(0), 1);
}

TEST_F(email_test, without_idle_on_the_server_the_poll_interval_takes_the_mail) {
  // Dovecot's own list without IDLE (what it offers after login).
  start_with_mail({}, false,
                  "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ "
                  "UIDPLUS MOVE");
  ASSERT_TRUE(wait_until(
      [&] {
        return read_file(collector_->log_path()).find("email_idle_unavailable") !=
               std::string::npos;
      },
      deadline));
  dovecot_->deliver(fixture("big5.eml"), "1-polled");
  ASSERT_TRUE(feed_->wait_for(1, deadline));
  ASSERT_TRUE(wait_inbox_empty());
  const auto metrics = metrics_text();
  EXPECT_EQ(metric_value(metrics, "intake_email_idle_active"), 0);
  EXPECT_EQ(metric_value(metrics, "intake_email_idle_failures_total").value_or(0), 0)
      << "a server without IDLE is not a failure to retry";
}

TEST_F(email_test, with_idle_off_no_second_connection_is_made) {
  collector_config config;
  config.set("channels.email.idle", "false");
  start_with_mail(config);
  dovecot_->deliver(fixture("big5.eml"), "1-polled");
  ASSERT_TRUE(feed_->wait_for(1, deadline));
  ASSERT_TRUE(wait_inbox_empty());
  // No watcher, so no gauge of its state either.
  EXPECT_FALSE(metric_value(metrics_text(), "intake_email_idle_active"));
  EXPECT_EQ(read_file(collector_->log_path()).find("email_idle_"), std::string::npos);
}

}  // namespace
}  // namespace intake::testing
