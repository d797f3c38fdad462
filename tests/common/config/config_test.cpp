#include "common/config/config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "channels/channel.hpp"

namespace intake::config {
namespace {

const std::string minimal = R"(
[collector]
id = "county-01"
region = "440303"
)";

config load(const std::string& text) {
  return config::load_string(text, "collector.toml", channels::all_config_keys());
}

TEST(config, minimal_file_takes_defaults) {
  auto c = load(minimal);
  EXPECT_EQ(c.get_string("collector.id"), "county-01");
  EXPECT_EQ(c.get_string("http.listen"), "127.0.0.1:8080");
  EXPECT_EQ(c.get_list("upstream.mqtt_uri"), std::vector<std::string>{"tcp://127.0.0.1:1883"});
  EXPECT_EQ(c.get_duration("dedup.window"), std::chrono::hours(72));
  EXPECT_EQ(c.get_size("channels.api.body_limit"), 256u * 1024);
  EXPECT_FALSE(c.get_bool("channels.api.enabled"));
}

TEST(config, typed_values_are_read) {
  auto c = load(minimal + R"(
[http]
listen = "[::1]:0"
read_timeout = "250ms"
body_limit = "2MiB"
[upstream]
mqtt_uri = ["tcp://10.0.0.1:1883", "ssl://broker.example:8883"]
[channels.api]
enabled = true
)");
  EXPECT_EQ(c.get_string("http.listen"), "[::1]:0");
  EXPECT_EQ(c.get_duration("http.read_timeout"), std::chrono::milliseconds(250));
  EXPECT_EQ(c.get_size("http.body_limit"), 2u * 1024 * 1024);
  EXPECT_EQ(c.get_list("upstream.mqtt_uri").size(), 2u);
  EXPECT_TRUE(c.get_bool("channels.api.enabled"));
}

struct bad_case {
  std::string name;
  std::string text;
  std::string expected;  // a substring of the one problem reported
};

TEST(config, problems_name_file_line_key_and_reason) {
  const std::vector<bad_case> cases = {
      {"unknown key", minimal + "colour = \"red\"\n",
       "collector.toml:5: collector.colour: unknown key"},
      {"unknown section", minimal + "[nonsense]\nx = 1\n",
       "collector.toml:5: nonsense: unknown section"},
      {"unknown channel", minimal + "[channels.fax]\nenabled = true\n",
       "collector.toml:5: channels.fax: unknown section"},
      {"wrong type", minimal + "[http]\nthreads = \"two\"\n",
       "collector.toml:6: http.threads: expected integer"},
      {"out of range", minimal + "[http]\nthreads = 0\n", "http.threads: must be between 1 and 64"},
      {"bad region", "[collector]\nid = \"c\"\nregion = \"44030\"\n",
       "collector.toml:3: collector.region: must be a six-digit GB/T 2260 code"},
      {"bad id", "[collector]\nid = \"county 01\"\nregion = \"440303\"\n",
       "collector.toml:2: collector.id: must be 1-32 characters"},
      {"missing id", "[collector]\nregion = \"440303\"\n", "collector.id: required key is missing"},
      {"bad duration", minimal + "[dedup]\nwindow = \"3 weeks\"\n",
       "collector.toml:6: dedup.window: not a duration"},
      {"bad size", minimal + "[outbox]\nmax_bytes = \"lots\"\n", "outbox.max_bytes: not a size"},
      {"bad uri", minimal + "[upstream]\nmqtt_uri = \"http://x:1\"\n",
       "upstream.mqtt_uri: must be tcp://host:port or ssl://host:port"},
      {"bad listen", minimal + "[http]\nlisten = \"8080\"\n", "http.listen: must be host:port"},
      {"missing secret file", minimal + "[upstream]\npassword_file = \"/nonexistent/secret\"\n",
       "upstream.password_file: cannot read secret file"},
      {"bad enum", minimal + "[log]\nlevel = \"loud\"\n", "log.level: must be one of"},
      {"IDLE longer than RFC 2177 allows", minimal + "[channels.email]\nidle_renew = \"30m\"\n",
       "channels.email.idle_renew: must be between 1s and 29m"},
      {"syntax", minimal + "[http\n", "collector.toml:5: (syntax)"},
      // A channel switched on without what it cannot run without: reported at the `enabled` line.
      {"e-mail without a mailbox", minimal + "[channels.email]\nenabled = true\n",
       "collector.toml:6: channels.email.imap_url: required when channels.email.enabled = true"},
      {"e-mail with an empty mailbox",
       minimal + "[channels.email]\nenabled = true\nimap_url = \"\"\n",
       "channels.email.imap_url: required when channels.email.enabled = true"},
      {"mini-program without an appid", minimal + "[channels.miniprogram]\nenabled = true\n",
       "collector.toml:6: channels.miniprogram.appid: required when channels.miniprogram.enabled"},
      {"mini-program without its secret", minimal + "[channels.miniprogram]\nenabled = true\n",
       "channels.miniprogram.appsecret_file: required when channels.miniprogram.enabled = true"},
      {"official account without a token", minimal + "[channels.wechat]\nenabled = true\n",
       "channels.wechat.token_file: required when channels.wechat.enabled = true"},
  };
  for (const auto& c : cases) {
    try {
      load(c.text);
      ADD_FAILURE() << c.name << ": accepted";
    } catch (const config_error& e) {
      ASSERT_FALSE(e.problems().empty()) << c.name;
      bool found = false;
      for (const auto& p : e.problems()) found = found || p.find(c.expected) != std::string::npos;
      EXPECT_TRUE(found) << c.name << ": got " << e.what();
    }
  }
}

TEST(config, a_channel_switched_off_needs_none_of_its_required_keys) {
  EXPECT_NO_THROW(load(minimal + "[channels.email]\nenabled = false\n"));
  EXPECT_NO_THROW(load(minimal + "[channels.wechat]\naccount = \"main\"\n"));
}

TEST(config, every_problem_is_reported_at_once) {
  try {
    load("[collector]\nid = \"a b\"\nregion = \"1\"\nextra = 1\n");
    FAIL() << "accepted";
  } catch (const config_error& e) {
    EXPECT_EQ(e.problems().size(), 3u) << e.what();
  }
}

TEST(config, secret_is_read_from_its_file_without_newline) {
  const std::string path = ::testing::TempDir() + "/mqtt-password";
  std::ofstream(path) << "s3cret\n";
  auto c = load(minimal + "[upstream]\npassword_file = \"" + path + "\"\n");
  EXPECT_EQ(c.read_secret("upstream.password_file"), "s3cret");
  std::remove(path.c_str());
}

TEST(config, durations_and_sizes_parse) {
  EXPECT_EQ(parse_duration_ms("500ms"), 500);
  EXPECT_EQ(parse_duration_ms("30s"), 30000);
  EXPECT_EQ(parse_duration_ms("72h"), 72LL * 3600 * 1000);
  EXPECT_EQ(parse_duration_ms("7d"), 7LL * 86400 * 1000);
  EXPECT_FALSE(parse_duration_ms("7 weeks"));
  EXPECT_FALSE(parse_duration_ms("h"));
  EXPECT_EQ(parse_size_bytes("64KiB"), 65536);
  EXPECT_EQ(parse_size_bytes("1MB"), 1000000);
  EXPECT_EQ(parse_size_bytes("2GiB"), 2LL * 1024 * 1024 * 1024);
  EXPECT_FALSE(parse_size_bytes("99999999999999999999"));
}

TEST(config, every_key_has_a_description) {
  for (const auto& k : channels::all_config_keys()) {
    EXPECT_FALSE(k.description.empty()) << k.path;
  }
}

}  // namespace
}  // namespace intake::config
