// `intakectl config explain KEY`: the operator learns a key's type, default, meaning and the
// value in effect from the tool, and a mistyped key is pointed at its neighbours.

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/integration/support/child_process.hpp"
#include "tests/integration/support/collector_config.hpp"
#include "tests/integration/support/temp_dir.hpp"

namespace intake::testing {
namespace {

struct explain_case {
  const char* key;
  int exit_status;
  std::vector<std::string> expected;  // each must appear in the output
  std::vector<std::string> absent;    // none may appear
};

void PrintTo(const explain_case& c, std::ostream* os) {
  *os << c.key;
}

class config_explain_test : public ::testing::TestWithParam<explain_case> {
 protected:
  temp_dir dir_{"intake-explain"};
};

TEST_P(config_explain_test, explains_a_key_and_its_value_in_effect) {
  std::ofstream(dir_ / "mqtt-password") << "s3cret-broker-password\n";
  collector_config config;
  config.set("dedup.window", "\"48h\"")
      .set("http.body_limit", "\"2MiB\"")
      .set("upstream.password_file", toml_string((dir_ / "mqtt-password").string()));
  config.mqtt_uri = "tcp://127.0.0.1:1883";
  std::ofstream(dir_ / "collector.toml") << config.to_toml(dir_ / "data");

  const auto& c = GetParam();
  auto result = run_command({std::string(INTAKE_BIN_DIR) + "/intakectl", "config", "explain", c.key,
                             "--config", (dir_ / "collector.toml").string()},
                            dir_ / "out.txt");
  EXPECT_EQ(result.exit_status, c.exit_status) << result.output;
  for (const auto& text : c.expected) {
    EXPECT_NE(result.output.find(text), std::string::npos) << text << " in:\n" << result.output;
  }
  for (const auto& text : c.absent) {
    EXPECT_EQ(result.output.find(text), std::string::npos) << text << " in:\n" << result.output;
  }
}

INSTANTIATE_TEST_SUITE_P(
    keys, config_explain_test,
    ::testing::Values(
        explain_case{
            "dedup.window", 0, {"type:     duration", "\"72h\"", "in effect: \"48h\""}, {}},
        explain_case{"http.body_limit", 0, {"size", "\"1MiB\"", "in effect: \"2MiB\""}, {}},
        explain_case{"channels.api.enabled", 0, {"boolean", "in effect: true"}, {}},
        explain_case{"upstream.password_file",
                     0,
                     {"secret file", "mqtt-password"},
                     {"s3cret-broker-password"}},
        explain_case{"dedup.windw", 1, {"no configuration key dedup.windw", "dedup.window"}, {}}),
    [](const auto& info) {
      std::string name = info.param.key;
      for (char& ch : name) {
        if (ch == '.') ch = '_';
      }
      return name;
    });

}  // namespace
}  // namespace intake::testing
