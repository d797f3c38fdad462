// The shipped rules file and the copy compiled into the binary must be one and the same.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "common/normalize/text.hpp"
#include "common/triage/default_rules.hpp"
#include "common/triage/rule_set.hpp"
#include "tests/common/triage/triage_cases.hpp"

namespace intake::triage {
namespace {

const std::string shipped_path = std::string(INTAKE_SOURCE_DIR) + "/packaging/triage-rules.toml";

std::string fold(const std::string& text) {
  const auto normalized = normalize::normalize_text(text);
  return normalized ? normalize::fold_for_matching(*normalized) : std::string();
}

TEST(triage_rules_file, embedded_default_is_the_shipped_file) {
  std::ifstream in(shipped_path, std::ios::binary);
  ASSERT_TRUE(in) << shipped_path;
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_TRUE(ss.str() == default_rules_toml())
      << "packaging/triage-rules.toml changed: paste it into common/triage/default_rules.cpp";
}

TEST(triage_rules_file, shipped_file_decides_like_the_builtin) {
  const auto shipped = rule_set::load_file(shipped_path);
  const auto& builtin = rule_set::builtin();
  EXPECT_EQ(shipped.rule_names(), builtin.rule_names());
  EXPECT_EQ(shipped.categories(), builtin.categories());

  std::vector<std::string> texts;
  for (const auto& c : cases::emergencies()) texts.push_back(c.text);
  for (const auto& c : cases::routes()) texts.push_back(c.text);
  for (const auto& c : cases::categories()) texts.push_back(c.text);
  texts.insert(texts.end(), cases::look_alikes().begin(), cases::look_alikes().end());
  texts.insert(texts.end(), cases::non_routes().begin(), cases::non_routes().end());
  for (const auto& text : texts) {
    const auto a = shipped.decide(fold(text));
    const auto b = builtin.decide(fold(text));
    EXPECT_EQ(a.triage.urgency, b.triage.urgency) << text;
    EXPECT_EQ(a.triage.referral, b.triage.referral) << text;
    EXPECT_EQ(a.triage.statutory_route, b.triage.statutory_route) << text;
    EXPECT_EQ(a.triage.category_hint, b.triage.category_hint) << text;
    EXPECT_EQ(a.triage.rule, b.triage.rule) << text;
  }
}

TEST(triage_rules_file, every_rule_of_the_shipped_file_is_exercised) {
  // A rule no case reaches is a rule nobody has checked.
  std::set<std::string> fired;
  auto note = [&](const std::string& text) {
    const auto d = rule_set::builtin().decide(fold(text));
    for (const auto* name : {&d.emergency_rule, &d.route_rule, &d.category_rule}) {
      if (!name->empty()) fired.insert(*name);
    }
  };
  for (const auto& c : cases::emergencies()) note(c.text);
  for (const auto& c : cases::routes()) note(c.text);
  for (const auto& c : cases::categories()) note(c.text);
  for (const auto& name : rule_set::builtin().rule_names()) {
    EXPECT_TRUE(fired.count(name)) << "no test case fires rule " << name;
  }
}

}  // namespace
}  // namespace intake::triage
