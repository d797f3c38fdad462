// Every [channels.sms] key loads with its default and reads back with the getter of its type,
// and the validators refuse what the channel could not use.
#include <gtest/gtest.h>

#include "channels/channel.hpp"
#include "common/config/config.hpp"

namespace intake::channels::sms {
namespace {

const std::string minimal = R"(
[collector]
id = "county-01"
region = "440303"
[channels.sms]
enabled = true
)";

TEST(sms_config, every_default_reads_with_its_type) {
  const auto c = config::config::load_string(minimal, "collector.toml", all_config_keys());
  int checked = 0;
  for (const auto& k : all_config_keys()) {
    if (k.path.rfind("channels.sms.", 0) != 0 || !c.has(k.path)) continue;
    ++checked;
    switch (k.type) {
      case config::key_type::string:
        EXPECT_NO_THROW(c.get_string(k.path)) << k.path;
        break;
      case config::key_type::integer:
        EXPECT_NO_THROW(c.get_int(k.path)) << k.path;
        break;
      case config::key_type::boolean:
        EXPECT_NO_THROW(c.get_bool(k.path)) << k.path;
        break;
      case config::key_type::string_list:
        EXPECT_NO_THROW(c.get_list(k.path)) << k.path;
        break;
      case config::key_type::duration:
        EXPECT_NO_THROW(c.get_duration(k.path)) << k.path;
        break;
      case config::key_type::size:
        EXPECT_NO_THROW(c.get_size(k.path)) << k.path;
        break;
      default:
        break;
    }
  }
  EXPECT_GT(checked, 20);
  EXPECT_EQ(c.get_duration("channels.sms.quiet_period"), std::chrono::seconds(60));
  EXPECT_EQ(c.get_list("channels.sms.allow_from"), (std::vector<std::string>{"127.0.0.1", "::1"}));
}

TEST(sms_config, bad_values_are_startup_errors) {
  for (const char* bad : {"webhook_text_field = \"text\"", "max_parts = 0",
                          "quiet_period = \"soon\"", "unknown_key = 1"}) {
    EXPECT_THROW(
        config::config::load_string(minimal + bad + "\n", "collector.toml", all_config_keys()),
        config::config_error)
        << bad;
  }
}

}  // namespace
}  // namespace intake::channels::sms
