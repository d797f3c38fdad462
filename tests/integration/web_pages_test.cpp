// The citizen pages against the real collector and a real mosquitto: Debian's Chromium fills in
// the web form and a QR code's page (tests/browser/citizen_pages.mjs, playwright-core), and the
// events are checked on the feed; bad posts and bad QR codes are refused with nothing stored.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <rapidjson/pointer.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <thread>

#include "common/core/hmac.hpp"
#include "tests/integration/support/feed_queries.hpp"
#include "tests/integration/support/free_port.hpp"
#include "tests/integration/support/integration_fixture.hpp"
#include "tests/integration/support/json_fields.hpp"
#include "tests/integration/support/web_form.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

const std::filesystem::path source_dir = INTAKE_SOURCE_DIR;
const std::filesystem::path bin_dir = INTAKE_BIN_DIR;

class web_pages_test : public integration_fixture {
 protected:
  /// Both channels on a fixed port, so that the links (media URLs, QR codes) can name it.
  void start_web(const std::map<std::string, std::string>& more = {}) {
    port_ = pick_free_port();
    base_ = "http://127.0.0.1:" + std::to_string(port_);
    collector_config config;
    config.set("http.listen", toml_string("127.0.0.1:" + std::to_string(port_)));
    config.set("media.public_base_url", toml_string(base_));
    config.set("channels.webform.enabled", "true");
    config.set("channels.qrcode.enabled", "true");
    for (const auto& [key, value] : more) config.set(key, value);
    start_all(config);
    ASSERT_EQ(collector_->port(), port_);
  }

  /// `intakectl qr issue` for a street lamp; returns the token id and writes `file`.
  std::string issue_qr(const std::filesystem::path& file) {
    auto issued = run_command({(bin_dir / "intakectl").string(), "qr", "issue", "--config",
                               collector_->config_path().string(), "--asset-id", "LAMP-0123",
                               "--address", "某路12号", "--lat", "22.54", "--long", "114.06",
                               "--service-code", "urban.lighting", "--out", file.string()},
                              dir_ / "qr-issue.out");
    EXPECT_EQ(issued.exit_status, 0) << issued.output;
    std::smatch m;
    static const std::regex id(R"(token id: ([A-Z2-7]{8}))");
    return std::regex_search(issued.output, m, id) ? std::string(m[1]) : std::string{};
  }

  /// The URL in a QR code image, as a phone's camera reads it (zbarimg).
  std::string scan(const std::filesystem::path& file) {
    auto scanned =
        run_command({"/usr/bin/zbarimg", "--raw", "-q", file.string()}, dir_ / "zbarimg.out");
    EXPECT_EQ(scanned.exit_status, 0) << scanned.output;
    // The output also carries zbarimg's complaints on stderr (no D-Bus here): take the URL line.
    std::smatch m;
    static const std::regex url(R"((^|\n)(https?://[^\n]+))");
    return std::regex_search(scanned.output, m, url) ? std::string(m[2]) : std::string{};
  }

  std::string page_token(const std::string& url) { return page_token_in(http_.get(url).body); }

  std::uint16_t port_ = 0;
  std::string base_;
};

// The event on the feed whose data.tracking_number is `number`; empty when there is none.
std::vector<std::string> events_of(const std::vector<feed_message>& messages,
                                   const std::string& number) {
  std::vector<std::string> out;
  for (const auto& m : messages) {
    if (json_string(m.payload, "/data/tracking_number") == number) out.push_back(m.payload);
  }
  return out;
}

TEST_F(web_pages_test, citizen_pages_in_chromium_reach_the_feed) {
  for (const char* needed : {"/usr/bin/chromium", "/usr/bin/node", "/usr/bin/zbarimg"}) {
    ASSERT_TRUE(std::filesystem::exists(needed)) << needed << " is missing: run scripts/setup";
  }
  ASSERT_TRUE(std::filesystem::exists(source_dir / "tests/browser/node_modules/playwright-core"))
      << "playwright-core is missing: run scripts/setup (npm ci in tests/browser)";
  start_web();
  const auto qr_id = issue_qr(dir_ / "lamp.png");
  const auto qr_url = scan(dir_ / "lamp.png");
  ASSERT_EQ(qr_url.rfind(base_ + "/q/", 0), 0u) << qr_url;

  // Screenshots go to INTAKE_SCREENSHOTS when set (docs/screenshots/ was made that way).
  const char* shots_env = std::getenv("INTAKE_SCREENSHOTS");
  const std::filesystem::path shots = shots_env ? shots_env : (dir_ / "screenshots").string();
  std::filesystem::create_directories(shots);
  const auto result_file = dir_ / "browser.json";
  const std::string plan = R"({"base":")" + base_ + R"(","qr_url":")" + qr_url + R"(","out":")" +
                           result_file.string() + R"(","screenshots":")" + shots.string() + R"("})";
  auto run = run_command(
      {"/usr/bin/node", (source_dir / "tests/browser/citizen_pages.mjs").string(), plan},
      dir_ / "browser.out", 240s);
  const std::string result = read_file(result_file);
  ASSERT_EQ(run.exit_status, 0) << run.output;
  ASSERT_FALSE(json_string(result, "/error")) << *json_string(result, "/error");

  // Accessibility of every page the browser saw: labels, landmarks, lang.
  auto doc = parse_json(result);
  ASSERT_TRUE(doc && doc->IsObject()) << result;
  for (const std::string page : {"form_zh", "receipt_zh", "form_en", "form_errors", "qr"}) {
    SCOPED_TRACE(page);
    const auto* problems = rapidjson::Pointer(("/pages/" + page + "/problems").c_str()).Get(*doc);
    ASSERT_TRUE(problems && problems->IsArray()) << result;
    EXPECT_EQ(problems->Size(), 0u) << result;
  }
  EXPECT_EQ(json_string(result, "/pages/form_zh/lang"), "zh-CN");
  EXPECT_EQ(json_string(result, "/pages/form_en/lang"), "en");

  // Validation: 422, each error beside its field, the input kept.
  EXPECT_EQ(json_int(result, "/validation/status"), 422);
  for (const char* shown :
       {"/validation/description_error", "/validation/phone_error", "/validation/email_error"}) {
    EXPECT_TRUE((*doc)["validation"][std::string(shown).substr(12).c_str()].GetBool()) << shown;
  }
  EXPECT_EQ(json_string(result, "/validation/name_kept"), "李四");
  EXPECT_EQ(json_string(result, "/validation/phone_kept"), "12345");
  EXPECT_EQ(json_string(result, "/validation/email_kept"), "lisi@");

  // The double press and the reload: the same receipt, and at least two posts of the same page.
  const auto double_number = json_string(result, "/double/tracking");
  ASSERT_TRUE(double_number);
  EXPECT_EQ(json_string(result, "/double/after_reload"), double_number);
  EXPECT_GE(
      *json_int(result, "/double/posts_by_press") + *json_int(result, "/double/posts_by_reload"),
      2);

  const auto zh = *json_string(result, "/zh/tracking");
  const auto en = *json_string(result, "/en/tracking");
  const auto fixed = *json_string(result, "/validation/tracking");
  const auto qr = *json_string(result, "/qr/tracking");
  EXPECT_NE(json_string(result, "/qr/place")->find("LAMP-0123，某路12号"), std::string::npos);
  EXPECT_EQ(json_int(result, "/qr/address_field"), 0);

  // Five requests, five events on the real broker, and nothing more (no second event for the
  // double press or the reload).
  ASSERT_TRUE(feed_->wait_for(5, 15s)) << feed_->size() << " events";
  ASSERT_TRUE(wait_outbox_drained(10s));
  const auto messages = feed_->messages();
  EXPECT_EQ(messages.size(), 5u);
  for (const auto& number : {zh, en, fixed, *double_number, qr}) {
    EXPECT_EQ(events_of(messages, number).size(), 1u) << number;
  }

  // zh: the photo is listed with its hash, and its signed link serves the same bytes.
  const auto zh_event = events_of(messages, zh).at(0);
  EXPECT_EQ(json_string(zh_event, "/data/channel"), "webform");
  EXPECT_EQ(json_string(zh_event, "/data/service_code"), "urban.lighting");
  EXPECT_EQ(json_string(zh_event, "/data/address_string"), "某路12号");
  EXPECT_EQ(json_string(zh_event, "/data/media/0/sha256"), json_string(result, "/photo_sha256"));
  EXPECT_EQ(json_string(zh_event, "/data/media/0/media_type"), "image/jpeg");
  EXPECT_EQ(json_int(zh_event, "/data/media/0/size"), json_int(result, "/photo_size"));
  EXPECT_EQ(json_string(zh_event, "/data/media/0/name"), "路灯.jpg");
  const auto url = json_string(zh_event, "/data/media/0/url");
  ASSERT_TRUE(url);
  EXPECT_NE(url->find("sig="), std::string::npos);
  auto photo = http_.get(*url);
  EXPECT_EQ(photo.status, 200);
  EXPECT_EQ(core::to_hex(core::sha256(photo.body)), json_string(result, "/photo_sha256"));
  EXPECT_EQ(http_.get(url->substr(0, url->find('?'))).status, 403) << "no link without signature";

  const auto en_event = events_of(messages, en).at(0);
  EXPECT_EQ(json_string(en_event, "/data/description"), "The drain cover outside No. 8 is missing");

  // The QR report: the code's place, verified, with the token id as source_ref.
  const auto qr_event = events_of(messages, qr).at(0);
  EXPECT_EQ(json_string(qr_event, "/data/channel"), "qrcode");
  EXPECT_EQ(json_string(qr_event, "/data/asset_id"), "LAMP-0123");
  EXPECT_EQ(json_string(qr_event, "/data/address_string"), "某路12号");
  EXPECT_NEAR(*json_number(qr_event, "/data/lat"), 22.54, 1e-6);
  EXPECT_NEAR(*json_number(qr_event, "/data/long"), 114.06, 1e-6);
  const auto verified = parse_json(qr_event);
  EXPECT_TRUE((*verified)["data"]["location_verified"].GetBool());
  EXPECT_EQ(json_string(qr_event, "/data/source_ref"), qr_id);

  // Personal data never in the log.
  const auto log = read_file(collector_->log_path());
  for (const char* personal : {"张三", "13800138000", "李四", "lisi@example.cn"}) {
    EXPECT_EQ(log.find(personal), std::string::npos) << personal;
  }
}

TEST_F(web_pages_test, bad_posts_are_refused_and_nothing_reaches_the_feed) {
  start_web();
  const std::string form = base_ + "/form";
  const std::string urlencoded = "application/x-www-form-urlencoded";
  const std::string token = page_token(form);
  ASSERT_FALSE(token.empty());
  struct bad_post {
    const char* name;
    std::string body;
    std::string content_type;
    long status;
    header_list headers;
  };
  std::string huge = "token=" + token + "&description=";
  huge.append(13 * 1024 * 1024, 'a');
  const std::vector<bad_post> cases = {
      {"honeypot",
       "token=" + token + "&description=x&website=http%3A%2F%2Fspam",
       urlencoded,
       400,
       {}},
      {"forged token", "token=1.2.3&description=x", urlencoded, 403, {}},
      {"cross-site origin",
       "token=" + token + "&description=x",
       urlencoded,
       403,
       {{"Origin", "https://evil.example"}}},
      {"bad escape", "token=" + token + "&description=%zz", urlencoded, 400, {}},
      {"multipart cut short",
       "--b\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nx",
       "multipart/form-data; boundary=b",
       400,
       {}},
      {"json", R"({"description":"x"})", "application/json", 415, {}},
      {"missing description", "token=" + token + "&name=x", urlencoded, 422, {}},
      {"over the body limit", huge, urlencoded, 413, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto answer = http_.post(form, c.body, c.content_type, c.headers);
    EXPECT_EQ(answer.status, c.status) << answer.body.substr(0, 300) << answer.error;
  }
  // A good post still works afterwards, and it is the only event.
  auto good = http_.post(
      form, "token=" + token + "&description=%E8%B7%AF%E7%81%AF%E5%9D%8F%E4%BA%86", urlencoded);
  EXPECT_EQ(good.status, 200);
  ASSERT_TRUE(feed_->wait_for(1, 10s));
  ASSERT_TRUE(wait_outbox_drained(10s));
  EXPECT_EQ(feed_->size(), 1u);
}

TEST_F(web_pages_test, qr_code_is_scanned_and_refused_when_tampered_or_revoked) {
  start_web();
  const auto id = issue_qr(dir_ / "lamp.svg");
  ASSERT_FALSE(id.empty());
  const auto png_id = issue_qr(dir_ / "lamp.png");
  const auto url = scan(dir_ / "lamp.png");
  auto page = http_.get(url);
  ASSERT_EQ(page.status, 200) << url;
  EXPECT_NE(page.body.find("LAMP-0123，某路12号"), std::string::npos);

  std::string tampered = url;
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(http_.get(tampered).status, 400);
  EXPECT_EQ(http_.get(url.substr(0, url.size() - 3)).status, 400);
  const std::string token = page_token(url);
  EXPECT_EQ(
      http_.post(tampered, "token=" + token + "&description=x", "application/x-www-form-urlencoded")
          .status,
      400);

  auto revoked = run_command({(bin_dir / "intakectl").string(), "qr", "revoke", png_id, "--config",
                              collector_->config_path().string()},
                             dir_ / "qr-revoke.out");
  ASSERT_EQ(revoked.exit_status, 0) << revoked.output;
  EXPECT_EQ(http_.get(url).status, 410);
  EXPECT_EQ(
      http_.post(url, "token=" + token + "&description=x", "application/x-www-form-urlencoded")
          .status,
      410);
  auto bad_id = run_command({(bin_dir / "intakectl").string(), "qr", "revoke", "not-an-id",
                             "--config", collector_->config_path().string()},
                            dir_ / "qr-revoke-bad.out");
  EXPECT_EQ(bad_id.exit_status, 2);
  // Nothing was ever accepted: no submission counted, nothing in the outbox or on the feed.
  const auto metrics = http_.get(base_ + "/metrics").body;
  EXPECT_EQ(metrics.find("intake_submissions_total{"), std::string::npos);
  EXPECT_EQ(outbox_depth_metric(), 0.0);
  EXPECT_EQ(feed_->size(), 0u);
}

TEST_F(web_pages_test, a_slow_upload_is_cut_at_the_read_deadline) {
  start_web({{"http.read_timeout", "\"1s\""}});
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port_);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
  const std::string head = "POST /form HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                           "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                           "Content-Length: 100000\r\n\r\ndescription=";
  ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  // A byte every 100 ms, as a phone on a failing link might: the collector must give up at its
  // deadline rather than hold the connection (and the memory) for as long as the client likes.
  const auto start = std::chrono::steady_clock::now();
  bool cut = false;
  while (std::chrono::steady_clock::now() - start < 8s) {
    if (::send(fd, "a", 1, MSG_NOSIGNAL) < 0) {
      cut = true;
      break;
    }
    char buffer[256];
    const auto got = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
      cut = true;
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  ::close(fd);
  // Only the 1 s read deadline can cut it within the 8 s: the idle deadline is 60 s, and the
  // trickle stays far below the body limit and is valid urlencoded text.
  EXPECT_TRUE(cut) << "the connection was still open after 8 s";
  EXPECT_EQ(outbox_depth_metric(), 0.0);
  EXPECT_EQ(feed_->size(), 0u);
}

}  // namespace
}  // namespace intake::testing
