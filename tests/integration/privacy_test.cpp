// Personal data (names, phones, e-mail addresses) never appears in clear where the edge keeps or
// sends anything: with privacy.recipient_public_key set, not in the events on the feed, not in
// the outbox file, not in the media store (photos are sealed too), and — sealing or not — never
// in the collector's log. The centre's secret key gives back exactly what the citizen gave
// (normalized), and a photo's exact bytes.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/core/hmac.hpp"
#include "common/privacy/box_keys.hpp"
#include "common/privacy/event_opener.hpp"
#include "common/privacy/submitter_sealer.hpp"
#include "tests/integration/support/feed_queries.hpp"
#include "tests/integration/support/free_port.hpp"
#include "tests/integration/support/integration_fixture.hpp"
#include "tests/integration/support/json_fields.hpp"
#include "tests/integration/support/web_form.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

// Distinctive people, each value in the forms a citizen might type it and the normalized form
// the collector works with; `needles` lists every form that must not be found in clear. Digit
// runs are 11 long or more, so that none turns up by chance inside base64 or binary pages.
struct person {
  std::string name;         // as typed
  std::string name_normal;  // after NFKC
  std::string phone;        // as typed
  std::string phone_normal;
  std::vector<std::string> phone_digits;  // the national number, with and without trunk 0
  std::string email;                      // as typed
  std::string email_normal;
};

const person ouyang{"欧阳测试甲",
                    "欧阳测试甲",
                    "+86 139-8765-4321",
                    "+8613987654321",
                    {"13987654321", "139 8765 4321", "139-8765-4321"},
                    "Ouyang.Jia.Privacy@Example-Test.cn",
                    "ouyang.jia.privacy@example-test.cn"};
const person zhou{"Ｚｈｏｕ Privacy-Yi",
                  "Zhou Privacy-Yi",
                  "(0755) 2345 6789",
                  "+8675523456789",
                  {"075523456789", "75523456789"},
                  "Zhou.Yi.Privacy@example-test.cn",
                  "zhou.yi.privacy@example-test.cn"};
const person sima{"司马测试丙",
                  "司马测试丙",
                  "0086 137 1122 3344",
                  "+8613711223344",
                  {"13711223344", "137 1122 3344"},
                  "SIMA.BING.PRIVACY@EXAMPLE-TEST.CN",
                  "sima.bing.privacy@example-test.cn"};
// Refused submissions: their values must not come back in the error either.
const std::string bad_phone = "+86 136-1234-567890";
const std::string bad_email = "zhuge.ding.privacy@@example-test";
const std::string refused_name = "诸葛测试丁";

std::vector<std::string> needles() {
  std::vector<std::string> out;
  for (const auto* p : {&ouyang, &zhou, &sima}) {
    for (const auto& v : {p->name, p->name_normal, p->phone, p->phone_normal, p->email,
                          p->email_normal, p->email.substr(0, p->email.find('@')),
                          p->email_normal.substr(0, p->email_normal.find('@'))}) {
      out.push_back(v);
    }
    for (const auto& d : p->phone_digits) out.push_back(d);
  }
  for (const auto& v : {bad_phone, std::string("1361234567890"), bad_email,
                        std::string("zhuge.ding.privacy"), refused_name}) {
    out.push_back(v);
  }
  return out;
}

// Every file of a directory tree, by path: the outbox with its WAL, the state file, keys.
std::map<std::string, std::string> files_under(const std::filesystem::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) out[entry.path().string()] = read_file(entry.path());
  }
  return out;
}

void expect_no_personal_data(const std::string& where, const std::string& haystack) {
  for (const auto& needle : needles()) {
    EXPECT_EQ(haystack.find(needle), std::string::npos)
        << where << " contains \"" << needle << "\"";
  }
}

class privacy_test : public integration_fixture {
 protected:
  // The centre's key pair, made as `intakectl keys generate` makes it.
  void make_keys() {
    auto keys = privacy::generate_key_pair();
    ASSERT_TRUE(keys) << keys.error().message;
    ASSERT_TRUE(privacy::write_key_pair((dir_.path() / "centre").string(), *keys));
    keys_ = std::move(*keys);
  }

  collector_config sealing_config() const {
    collector_config config;
    config.set("privacy.recipient_public_key", toml_string((dir_.path() / "centre.pub").string()));
    // Debug level: the test must hold for every line the collector can write.
    config.set("log.level", toml_string("debug"));
    return config;
  }

  static submission with(const person& p, std::string description, bool name = true,
                         bool email = true) {
    submission s{.description = std::move(description)};
    if (name) s.name = p.name;
    s.phone = p.phone;
    if (email) s.email = p.email;
    return s;
  }

  privacy::key_pair keys_;
};

TEST_F(privacy_test, sealed_personal_data_is_nowhere_in_clear_and_opens_to_exactly_what_was_given) {
  make_keys();
  start_all(sealing_config());

  // What each event's sealed box must hold, by the event's description.
  std::map<std::string, privacy::personal_data> expected;
  const auto expect_event = [&](const submission& s, const person& p) {
    expected[s.description] = privacy::personal_data{
        s.name ? std::optional(p.name_normal) : std::nullopt, p.phone_normal,
        s.email ? std::optional(p.email_normal) : std::nullopt, std::nullopt};
  };

  // A new request, then a near duplicate from the same phone typed differently.
  const auto first = with(ouyang, "小区门口路灯坏了一个星期没人修");
  auto a = submit(first);
  ASSERT_EQ(a.response.status, 202) << a.response.body;
  expect_event(first, ouyang);
  auto repeat = with(ouyang, "小区门口路灯坏了一个星期没人修了", false, false);
  repeat.phone = "13987654321";
  auto b = submit(repeat);
  ASSERT_EQ(b.response.status, 200) << b.response.body;
  EXPECT_EQ(b.status, "duplicate");
  EXPECT_EQ(b.tracking_number, a.tracking_number);
  expect_event(repeat, ouyang);

  // A landline and a retry with the same Idempotency-Key (answered again, stored once).
  const auto landline = with(zhou, "楼下餐馆油烟很大影响休息");
  const header_list key{{"Idempotency-Key", "privacy-test-1"}};
  auto c = submit(landline, key);
  ASSERT_EQ(c.response.status, 202) << c.response.body;
  expect_event(landline, zhou);
  auto c_again = submit(landline, key);
  EXPECT_EQ(c_again.response.status, 200) << c_again.response.body;
  EXPECT_EQ(c_again.tracking_number, c.tracking_number);

  // Refused: the answers name the field, never its value.
  std::vector<submission_answer> refused;
  refused.push_back(
      submit({.description = "公交站牌被撞坏了", .name = refused_name, .phone = bad_phone}));
  EXPECT_EQ(refused.back().error, "invalid_phone") << refused.back().response.body;
  refused.push_back(
      submit({.description = "公交站牌被撞坏了", .name = refused_name, .email = bad_email}));
  EXPECT_EQ(refused.back().error, "invalid_email") << refused.back().response.body;
  refused.push_back(submit_raw(R"({"description":"x","submitter":{"name":")" + refused_name +
                                   R"(","phone":")" + ouyang.phone + "\"",
                               "application/json"));
  EXPECT_EQ(refused.back().error, "malformed_json") << refused.back().response.body;
  refused.push_back(
      submit_raw(R"({"description":"x","submitter":{"phone":13987654321}})", "application/json"));
  EXPECT_EQ(refused.back().error, "invalid_field") << refused.back().response.body;
  for (std::size_t i = 0; i < refused.size(); ++i) {
    expect_no_personal_data("answer to refused submission " + std::to_string(i),
                            refused[i].response.body);
  }

  // A broker outage: an emergency and a normal request wait in the outbox, sealed.
  broker_->stop();
  const auto fire = with(sima, "楼道着火了，有人被困");
  auto d = submit(fire);
  ASSERT_EQ(d.response.status, 202) << d.response.body;
  expect_event(fire, sima);
  const auto bins = with(sima, "垃圾桶满了没人清理", true, false);
  auto e = submit(bins);
  ASSERT_EQ(e.response.status, 202) << e.response.body;
  expect_event(bins, sima);
  for (const auto& [path, bytes] : files_under(collector_->data_dir())) {
    expect_no_personal_data(path + " (broker down)", bytes);
  }
  ASSERT_TRUE(restart_broker_subscriber_first());

  ASSERT_TRUE(feed_->wait_until(
      [&](const auto& messages) { return distinct_values(messages, "/id").size() >= 5; }, 20s));
  ASSERT_TRUE(wait_outbox_drained(10s));
  for (const auto& [path, bytes] : files_under(collector_->data_dir())) {
    expect_no_personal_data(path + " (running)", bytes);
  }
  EXPECT_EQ(collector_->terminate(), 0);
  for (const auto& [path, bytes] : files_under(collector_->data_dir())) {
    expect_no_personal_data(path + " (stopped)", bytes);
  }
  const std::string log = read_file(collector_->log_path());
  EXPECT_NE(log.find("personal_data_sealed"), std::string::npos) << log;
  EXPECT_EQ(log.find("personal_data_in_clear"), std::string::npos) << log;
  expect_no_personal_data("the collector log", log);

  // Every event: sealed, nothing in clear, and the centre's key gives back exactly the data.
  const auto messages = feed_->messages();
  std::set<std::string> opened_descriptions;
  for (const auto& m : messages) {
    expect_no_personal_data("event on " + m.topic, m.payload);
    for (const auto* field : {"/data/submitter/name", "/data/submitter/phone",
                              "/data/submitter/email", "/data/submitter/openid"}) {
      EXPECT_FALSE(json_string(m.payload, field)) << field << " in " << m.payload;
    }
    EXPECT_TRUE(json_string(m.payload, "/data/submitter/ref")) << m.payload;
    EXPECT_TRUE(json_string(m.payload, "/data/submitter/phone_masked")) << m.payload;
    const auto sealed = json_string(m.payload, "/data/submitter/sealed");
    ASSERT_TRUE(sealed) << m.payload;
    auto data = privacy::open_personal_data(*sealed, keys_);
    ASSERT_TRUE(data) << data.error().message;
    const auto description = json_string(m.payload, "/data/description_original");
    ASSERT_TRUE(description && expected.contains(*description)) << m.payload;
    EXPECT_EQ(*data, expected[*description]) << *description;
    opened_descriptions.insert(*description);

    // The whole event opened, as `intakectl open` prints it.
    auto opened = privacy::open_event(m.payload, keys_);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(json_string(*opened, "/data/submitter/phone"), expected[*description].phone);
    EXPECT_FALSE(json_string(*opened, "/data/submitter/sealed"));
  }
  EXPECT_EQ(opened_descriptions.size(), expected.size());
}

TEST_F(privacy_test, a_form_photo_is_sealed_on_disk_and_on_its_link_and_opens_to_the_same_bytes) {
  using namespace std::string_literals;
  make_keys();
  auto config = sealing_config();
  // A fixed port, so that the event's signed link names it.
  const auto port = pick_free_port();
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  config.set("http.listen", toml_string("127.0.0.1:" + std::to_string(port)));
  config.set("media.public_base_url", toml_string(base));
  config.set("channels.webform.enabled", "true");
  start_all(config);
  ASSERT_EQ(collector_->port(), port);

  // A JPEG carrying a byte string that cannot appear by chance in a sealed box or a database.
  const std::string marker = "PHOTO-MARKER-车牌粤B99887-face";
  const std::string photo =
      "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"s + marker + std::string(3000, '\x5a') + marker;
  auto page = http_.get(base + "/form");
  ASSERT_EQ(page.status, 200);
  const std::string token = page_token_in(page.body);
  ASSERT_FALSE(token.empty());
  broker_->stop();  // the event waits in the outbox while the photo sits in the store
  auto receipt = http_.post(base + "/form",
                            multipart_body({{"token", token},
                                            {"lang", "zh"},
                                            {"description", "路口的路牌被撞倒了，照片里能看到车牌"},
                                            {"name", zhou.name},
                                            {"phone", zhou.phone},
                                            {"website", ""}},
                                           {{"photo", "plate.jpg", "image/jpeg", photo}}),
                            multipart_content_type);
  ASSERT_EQ(receipt.status, 200) << receipt.body.substr(0, 600);
  const auto check_data_dir = [&](const std::string& when) {
    std::size_t media_files = 0;
    for (const auto& [path, bytes] : files_under(collector_->data_dir())) {
      EXPECT_EQ(bytes.find(marker), std::string::npos) << path << " (" << when << ")";
      EXPECT_EQ(bytes.find("JFIF"), std::string::npos) << path << " (" << when << ")";
      expect_no_personal_data(path + " (" + when + ")", bytes);
      if (path.find("/media/") != std::string::npos) ++media_files;
    }
    EXPECT_EQ(media_files, 1u) << when;
  };
  check_data_dir("broker down");
  ASSERT_TRUE(restart_broker_subscriber_first());
  ASSERT_TRUE(feed_->wait_for(1, 10s));
  ASSERT_TRUE(wait_outbox_drained(10s));
  check_data_dir("delivered");

  // The event names the photo by the hash of its clear bytes, with its clear type and size.
  const auto event = feed_->messages().at(0).payload;
  EXPECT_EQ(json_string(event, "/data/media/0/sha256"), core::to_hex(core::sha256(photo)));
  EXPECT_EQ(json_string(event, "/data/media/0/media_type"), "image/jpeg");
  EXPECT_EQ(json_int(event, "/data/media/0/size"), static_cast<std::int64_t>(photo.size()));
  expect_no_personal_data("the event", event);

  // The signed link serves the sealed file, marked as such, and the centre's key opens it.
  const auto url = json_string(event, "/data/media/0/url");
  ASSERT_TRUE(url) << event;
  auto fetched = http_.get(*url);
  ASSERT_EQ(fetched.status, 200) << fetched.body.substr(0, 200);
  EXPECT_EQ(fetched.header("content-type"), "application/vnd.intake-edge.sealed-media");
  EXPECT_EQ(fetched.body.find(marker), std::string::npos);
  EXPECT_EQ(fetched.body.rfind("intake-edge-sealed-media/1 image/jpeg\n", 0), 0u);
  const auto sealed_file = dir_.path() / "fetched.sealed";
  { std::ofstream(sealed_file, std::ios::binary) << fetched.body; }

  const std::string intakectl = std::string(INTAKE_BIN_DIR) + "/intakectl";
  const auto opened_file = dir_.path() / "opened.jpg";
  // From standard input, as `curl ... | intakectl open --media -` would.
  auto opened = run_command(
      {"/bin/sh", "-c", "exec \"$0\" open --secret-key \"$1\" --media - < \"$2\" > \"$3\"",
       intakectl, (dir_.path() / "centre.key").string(), sealed_file.string(),
       opened_file.string()},
      dir_.path() / "open-media.out");
  ASSERT_EQ(opened.exit_status, 0) << opened.output;
  EXPECT_EQ(read_file(opened_file), photo);

  // Another key does not open it, and says so without printing anything of the photo.
  auto other = privacy::generate_key_pair();
  ASSERT_TRUE(other);
  ASSERT_TRUE(privacy::write_key_pair((dir_.path() / "other").string(), *other));
  auto refused =
      run_command({intakectl, "open", "--secret-key", (dir_.path() / "other.key").string(),
                   "--media", sealed_file.string()},
                  dir_.path() / "open-media-other.out");
  EXPECT_EQ(refused.exit_status, 1) << refused.output;
  EXPECT_EQ(refused.output.find(marker), std::string::npos);

  EXPECT_EQ(collector_->terminate(), 0);
  check_data_dir("stopped");
  expect_no_personal_data("the collector log", read_file(collector_->log_path()));
}

TEST_F(privacy_test, without_a_recipient_key_the_collector_warns_and_still_logs_no_personal_data) {
  collector_config config;
  config.set("log.level", toml_string("debug"));
  start_all(config);
  broker_->stop();
  auto a = submit(with(ouyang, "小区门口路灯坏了一个星期没人修"));
  ASSERT_EQ(a.response.status, 202) << a.response.body;
  auto bad = submit({.description = "公交站牌被撞坏了", .name = refused_name, .phone = bad_phone});
  EXPECT_EQ(bad.error, "invalid_phone");
  expect_no_personal_data("the answer to a bad phone", bad.response.body);
  // The control for the test above: unsealed, the waiting event is readable in the outbox files.
  bool outbox_in_clear = false;
  for (const auto& [path, bytes] : files_under(collector_->data_dir())) {
    outbox_in_clear = outbox_in_clear || bytes.find(ouyang.phone_normal) != std::string::npos;
  }
  EXPECT_TRUE(outbox_in_clear);
  ASSERT_TRUE(restart_broker_subscriber_first());
  ASSERT_TRUE(feed_->wait_for(1, 10s));
  EXPECT_EQ(collector_->terminate(), 0);

  const auto payload = feed_->messages().at(0).payload;
  EXPECT_EQ(json_string(payload, "/data/submitter/phone"), ouyang.phone_normal);
  EXPECT_EQ(json_string(payload, "/data/submitter/name"), ouyang.name_normal);
  EXPECT_FALSE(json_string(payload, "/data/submitter/sealed"));

  const std::string log = read_file(collector_->log_path());
  EXPECT_NE(log.find("personal_data_in_clear"), std::string::npos) << log;
  expect_no_personal_data("the collector log", log);
}

TEST_F(privacy_test, a_recipient_key_that_is_not_a_key_is_a_configuration_error) {
  const auto bad_key = dir_.path() / "centre.pub";
  const std::string contents = "this-is-not-a-key-but-maybe-a-secret";
  std::filesystem::create_directories(dir_.path());
  { std::ofstream(bad_key) << contents << "\n"; }
  collector_config config;
  config.mqtt_uri = "tcp://127.0.0.1:1";
  config.set("privacy.recipient_public_key", toml_string(bad_key.string()));
  const auto config_path = dir_.path() / "collector.toml";
  { std::ofstream(config_path) << config.to_toml(dir_.path() / "data"); }
  const auto result = run_command({std::string(INTAKE_BIN_DIR) + "/intake-collector", "--config",
                                   config_path.string(), "--check-config"},
                                  dir_.path() / "check.out");
  EXPECT_EQ(result.exit_status, 2) << result.output;
  EXPECT_NE(result.output.find("privacy.recipient_public_key"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("centre.pub"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find(contents), std::string::npos) << result.output;
}

}  // namespace
}  // namespace intake::testing
