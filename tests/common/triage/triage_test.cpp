// The shipped default rules, through the free function the pipeline calls, on messages written
// the way citizens write them (tests/common/triage/triage_cases.hpp).
#include "common/triage/triage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "common/normalize/text.hpp"
#include "common/triage/rule_set.hpp"
#include "tests/common/triage/triage_cases.hpp"

namespace intake::triage {
namespace {

// What the pipeline hands to triage: NFKC, then script-folded.
std::string fold(const std::string& text) {
  const auto normalized = normalize::normalize_text(text);
  return normalized ? normalize::fold_for_matching(*normalized) : std::string();
}

TEST(triage_builtin, emergencies_are_referred_to_the_right_number) {
  std::map<std::string, int> per_number;
  for (const auto& c : cases::emergencies()) {
    const auto t = assess(fold(c.text));
    EXPECT_EQ(t.urgency, model::urgency::emergency) << c.text;
    EXPECT_EQ(t.referral, c.referral) << c.text;
    EXPECT_FALSE(t.rule.empty()) << c.text;
    ++per_number[c.referral];
  }
  for (const char* number : {"110", "119", "120", "122"}) {
    EXPECT_GE(per_number[number], 12) << "too few cases for " << number;
  }
}

TEST(triage_builtin, look_alikes_do_not_raise_an_emergency) {
  EXPECT_GE(cases::look_alikes().size(), 60u);
  for (const auto& text : cases::look_alikes()) {
    const auto d = rule_set::builtin().decide(fold(text));
    EXPECT_EQ(d.triage.urgency, model::urgency::normal)
        << text << " fired " << d.emergency_rule << " on " << d.emergency_match;
    EXPECT_FALSE(d.triage.referral) << text;
  }
}

TEST(triage_builtin, statutory_routes_are_recognised) {
  std::map<std::string, int> per_route;
  for (const auto& c : cases::routes()) {
    const auto t = assess(fold(c.text));
    EXPECT_EQ(t.statutory_route, c.route) << c.text;
    EXPECT_EQ(t.urgency, model::urgency::normal) << c.text;
    ++per_route[c.route];
  }
  for (const char* route : {"litigation", "arbitration", "discipline", "administrative_review",
                            "information_disclosure", "petition"}) {
    EXPECT_GE(per_route[route], 5) << "too few cases for " << route;
  }
}

TEST(triage_builtin, near_misses_get_no_statutory_route) {
  for (const auto& text : cases::non_routes()) {
    const auto d = rule_set::builtin().decide(fold(text));
    EXPECT_FALSE(d.triage.statutory_route)
        << text << " took route " << d.route_rule << " on " << d.route_match;
    EXPECT_EQ(d.triage.urgency, model::urgency::normal) << text;
  }
}

TEST(triage_builtin, category_hints_come_from_the_corpus_taxonomy) {
  const auto& taxonomy = rule_set::builtin().categories();
  EXPECT_EQ(taxonomy.size(), 7u);
  for (const auto& c : cases::categories()) {
    const auto t = assess(fold(c.text));
    EXPECT_EQ(t.category_hint, c.category) << c.text;
    EXPECT_NE(std::find(taxonomy.begin(), taxonomy.end(), c.category), taxonomy.end());
  }
}

TEST(triage_builtin, rule_names_the_deciding_rule) {
  struct rule_case {
    std::string text;
    std::string rule;
  };
  const std::vector<rule_case> cases = {
      {"楼道着火了，有人被困", "fire"},        // the emergency decides over the category
      {"我准备去法院起诉物业", "litigation"},  // a route over the category
      {"小区门口路灯坏了一个星期", "category_urban_rural"},
      {"你好", ""},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(assess(fold(c.text)).rule, c.rule) << c.text;
}

TEST(triage_builtin, an_emergency_can_carry_a_route_and_a_category_as_well) {
  const auto d = rule_set::builtin().decide(fold("小区保安持刀砍人，我要起诉物业公司"));
  EXPECT_EQ(d.triage.referral, "110");
  EXPECT_EQ(d.emergency_rule, "violence");
  EXPECT_EQ(d.triage.statutory_route, "litigation");
  EXPECT_EQ(d.route_rule, "litigation");
  EXPECT_EQ(d.triage.category_hint, "城乡建设");
  EXPECT_EQ(d.triage.rule, "violence");
  EXPECT_NE(d.emergency_match.find("持刀"), std::string::npos) << d.emergency_match;
}

TEST(triage_builtin, anything_the_request_path_can_hand_over_is_assessed) {
  // Not valid UTF-8, lone continuation bytes, NULs: no exception, no emergency out of thin air.
  for (const std::string& text : {std::string("\xff\xfe\x80", 3), std::string("\x80\x80\x80\x80"),
                                  std::string("a\0b", 3), std::string(10'000, 'x')}) {
    const auto t = assess(text);
    EXPECT_EQ(t.urgency, model::urgency::normal);
  }
}

}  // namespace
}  // namespace intake::triage
