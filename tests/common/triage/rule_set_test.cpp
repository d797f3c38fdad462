// The rule language, one feature per case, on small rule files written for the purpose.
#include "common/triage/rule_set.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/normalize/text.hpp"

namespace intake::triage {
namespace {

rule_set load(const std::string& toml) {
  return rule_set::load_string(toml, "rules.toml");
}

decision decide(const rule_set& rules, const std::string& text) {
  const auto normalized = normalize::normalize_text(text);
  return rules.decide(normalized ? normalize::fold_for_matching(*normalized) : std::string());
}

const std::string fire_rule = R"(
[[rule]]
name = "fire"
referral = "119"
any = ["着火"]
)";

struct language_case {
  std::string name;
  std::string rules;
  std::string text;
  std::string fired;  // the emergency or route rule expected to decide; empty: none
};

TEST(triage_rule_set, language_features) {
  const std::vector<language_case> cases = {
      {"any term", fire_rule, "楼下着火了！", "fire"},
      {"no term", fire_rule, "楼下路灯坏了", ""},
      {"punctuation and spaces are folded away", fire_rule, "楼下着 火了", "fire"},

      // near: a term of a within `within` characters of a term of b, either order.
      {"near, in order", R"(
[[rule]]
name = "lift"
referral = "119"
near = [{ a = ["电梯"], b = ["困"], within = 2 }]
)",
       "电梯xx困", "lift"},
      {"near, one character too far", R"(
[[rule]]
name = "lift"
referral = "119"
near = [{ a = ["电梯"], b = ["困"], within = 2 }]
)",
       "电梯xxx困", ""},
      {"near, reversed", R"(
[[rule]]
name = "lift"
referral = "119"
near = [{ a = ["电梯"], b = ["困"], within = 2 }]
)",
       "人困在电梯里", "lift"},

      // Negation: a negator ending at most `window` characters before the term.
      {"negated", R"(
[negation]
window = 3
negators = ["没有"]
)" + fire_rule,
       "没有着火", ""},
      {"negated at the window's edge", R"(
[negation]
window = 3
negators = ["没有"]
)" + fire_rule,
       "没有人说着火", ""},
      {"negator too far away", R"(
[negation]
window = 3
negators = ["没有"]
)" + fire_rule,
       "没有人知道楼下着火", "fire"},
      {"a negator after the term does not negate", R"(
[negation]
negators = ["没有"]
)" + fire_rule,
       "着火了没有人管", "fire"},
      {"an exception is not a negator", R"(
[negation]
negators = ["没"]
exceptions = ["没想到"]
)" + fire_rule,
       "没想到着火了", "fire"},
      {"negation switched off for a rule", R"(
[negation]
negators = ["没有"]
[[rule]]
name = "fire"
referral = "119"
any = ["着火"]
negation = false
)",
       "没有着火", "fire"},
      {"route rules ignore negation unless asked", R"(
[negation]
negators = ["没有"]
[[rule]]
name = "litigation"
route = "litigation"
any = ["起诉"]
)",
       "还没有起诉", "litigation"},

      // mask: the exclusion must contain the occurrence, overlapping is not enough.
      {"masked by a figurative phrase", R"(
[exclusion.figurative]
mode = "mask"
terms = ["火爆"]
[[rule]]
name = "fire"
referral = "119"
any = ["火"]
)",
       "生意火爆", ""},
      {"an overlapping mask does not hide the term", R"(
[exclusion.figurative]
mode = "mask"
terms = ["火爆"]
)" + fire_rule,
       "仓库着火爆炸", "fire"},

      // window: before / after, counted between the two.
      {"excluded by a marker before", R"(
[exclusion.past]
mode = "window"
before = 4
terms = ["去年"]
)" + fire_rule,
       "去年冬天楼里着火", ""},
      {"marker before, too far", R"(
[exclusion.past]
mode = "window"
before = 4
terms = ["去年"]
)" + fire_rule,
       "去年冬天我们楼里着火", "fire"},
      {"a before marker after the match does not count", R"(
[exclusion.past]
mode = "window"
before = 4
terms = ["去年"]
)" + fire_rule,
       "着火了去年也着过", "fire"},
      {"excluded by a marker after", R"(
[exclusion.risk]
mode = "window"
after = 2
terms = ["隐患"]
)" + fire_rule,
       "有着火的隐患", ""},
      {"an exclusion overlapping the match counts", R"(
[exclusion.hypothetical]
mode = "window"
before = 0
terms = ["引起火灾"]
[[rule]]
name = "fire"
referral = "119"
any = ["火灾"]
)",
       "容易引起火灾", ""},
      {"reset lifts the exclusion", R"(
[exclusion.past]
mode = "window"
before = 10
terms = ["去年"]
reset = ["现在"]
)" + fire_rule,
       "去年着过火现在又着火了", "fire"},
      {"without reset both are excluded", R"(
[exclusion.past]
mode = "window"
before = 10
terms = ["去年"]
)" + fire_rule,
       "去年着火现在又着火了", ""},
      {"proximity in an exclusion", R"(
[exclusion.procedure]
mode = "window"
before = 20
after = 20
near = [{ a = ["请问"], b = ["流程"], within = 10 }]
)" + fire_rule,
       "请问着火后理赔的流程", ""},

      // text: anywhere in the message.
      {"text-wide exclusion", R"(
[exclusion.drill]
mode = "text"
terms = ["演习"]
)" + fire_rule,
       "假装着火了，这是一场演习", ""},

      // Which rules an exclusion applies to.
      {"global groups skip routes by default", R"(
[exclusion.drill]
mode = "text"
terms = ["演习"]
[[rule]]
name = "petition"
route = "petition"
any = ["信访"]
)",
       "演习的事我去信访了", "petition"},
      {"applies_to reaches routes", R"(
[exclusion.drill]
mode = "text"
terms = ["演习"]
applies_to = ["route"]
[[rule]]
name = "petition"
route = "petition"
any = ["信访"]
)",
       "演习的事我去信访了", ""},
      {"applies_to without emergency spares emergencies", R"(
[exclusion.drill]
mode = "text"
terms = ["演习"]
applies_to = ["route"]
)" + fire_rule,
       "演习的时候真着火了", "fire"},
      {"a rule ignores a group", R"(
[exclusion.drill]
mode = "text"
terms = ["演习"]
[[rule]]
name = "fire"
referral = "119"
any = ["着火"]
ignore = ["drill"]
)",
       "演习的时候真着火了", "fire"},
      {"a rule's own exclusion", R"(
[[rule]]
name = "smoke"
referral = "119"
any = ["冒烟"]
[[rule.exclude]]
mode = "window"
before = 4
terms = ["烟囱"]
)",
       "工厂烟囱冒烟", ""},
      {"a rule's own exclusion is its own", R"(
[[rule]]
name = "smoke"
referral = "119"
any = ["冒烟"]
[[rule.exclude]]
mode = "window"
before = 4
terms = ["烟囱"]
[[rule]]
name = "chimney"
referral = "119"
any = ["烟囱倒了"]
)",
       "工厂烟囱倒了", "chimney"},

      // Order: the first emergency rule in the file that fires decides.
      {"first rule wins", R"(
[[rule]]
name = "traffic"
referral = "122"
any = ["车祸"]
[[rule]]
name = "medical"
referral = "120"
any = ["昏迷"]
)",
       "病人昏迷，刚才出了车祸", "traffic"},
  };
  for (const auto& c : cases) {
    const auto rules = load(c.rules);
    const auto d = decide(rules, c.text);
    const std::string fired = !d.emergency_rule.empty() ? d.emergency_rule : d.route_rule;
    EXPECT_EQ(fired, c.fired) << c.name;
  }
}

TEST(triage_rule_set, outcome_fields) {
  const auto rules = load(R"(
categories = ["城乡建设", "环境保护"]
[[rule]]
name = "fire"
referral = "119"
any = ["着火"]
[[rule]]
name = "petition"
route = "petition"
any = ["信访"]
[[rule]]
name = "urban"
category = "城乡建设"
any = ["小区", "路灯"]
[[rule]]
name = "environment"
category = "环境保护"
any = ["油烟", "噪音", "小区"]
)");
  auto d = decide(rules, "小区着火了");
  EXPECT_EQ(d.triage.urgency, model::urgency::emergency);
  EXPECT_EQ(d.triage.referral, "119");
  EXPECT_EQ(d.triage.rule, "fire");
  EXPECT_EQ(d.emergency_match, "小区着火了");

  d = decide(rules, "去信访");
  EXPECT_EQ(d.triage.urgency, model::urgency::normal);
  EXPECT_FALSE(d.triage.referral);
  EXPECT_EQ(d.triage.statutory_route, "petition");
  EXPECT_EQ(d.triage.rule, "petition");

  // Most distinct clues win; repeating one clue does not add up.
  EXPECT_EQ(decide(rules, "小区油烟噪音").triage.category_hint, "环境保护");
  EXPECT_EQ(decide(rules, "小区路灯噪音").triage.category_hint, "城乡建设");
  EXPECT_EQ(decide(rules, "油烟油烟油烟小区路灯").triage.category_hint, "城乡建设");
  // A tie goes to the rule earlier in the file.
  d = decide(rules, "小区");
  EXPECT_EQ(d.triage.category_hint, "城乡建设");
  EXPECT_EQ(d.triage.rule, "urban");
  EXPECT_FALSE(decide(rules, "你好").triage.category_hint);
}

struct error_case {
  std::string name;
  std::string rules;
  std::string expected;  // a substring of one reported problem
};

TEST(triage_rule_set, startup_errors_name_file_and_line) {
  const std::vector<error_case> cases = {
      {"bad toml", "[[rule]]\nname = \"fire\"\nreferral = \"119\nany = [\"着火\"]\n",
       "rules.toml:3: "},
      {"unknown top-level key", "colour = \"red\"\n" + fire_rule,
       "rules.toml:1: unknown key \"colour\""},
      {"unknown rule key",
       "[[rule]]\nname = \"fire\"\nreferral = \"119\"\nany = [\"着火\"]\nurgent = true\n",
       "rules.toml:5: rule \"fire\": unknown key \"urgent\""},
      {"bad referral", "[[rule]]\nname = \"fire\"\nreferral = \"911\"\nany = [\"着火\"]\n",
       "rules.toml:3: rule \"fire\": referral \"911\" must be one of 110, 119, 120, 122"},
      {"bad route", "[[rule]]\nname = \"court\"\nroute = \"court\"\nany = [\"起诉\"]\n",
       "rules.toml:3: rule \"court\": route \"court\" must be one of litigation"},
      {"category not in the taxonomy",
       "categories = [\"城乡建设\"]\n[[rule]]\nname = \"c\"\ncategory = \"教育\"\nany = "
       "[\"学校\"]\n",
       "rules.toml:4: rule \"c\": category \"教育\" is not listed in categories"},
      {"two outcomes",
       "[[rule]]\nname = \"x\"\nreferral = \"119\"\nroute = \"petition\"\nany = [\"火\"]\n",
       "rules.toml:1: rule \"x\": needs exactly one of"},
      {"no outcome", "[[rule]]\nname = \"x\"\nany = [\"火\"]\n",
       "rules.toml:1: rule \"x\": needs exactly one of"},
      {"no terms", "[[rule]]\nname = \"x\"\nreferral = \"119\"\n",
       "rules.toml:1: rule \"x\": needs \"any\" or \"near\""},
      {"empty term list", "[[rule]]\nname = \"x\"\nreferral = \"119\"\nany = []\n",
       "rules.toml:4: rule \"x\": any: empty list"},
      {"duplicate name", fire_rule + fire_rule,
       "rules.toml:8: rule \"fire\": another rule has this name"},
      {"bad name", "[[rule]]\nname = \"Fire Rule\"\nreferral = \"119\"\nany = [\"着火\"]\n",
       "rules.toml:2: rule \"Fire Rule\": name must be"},
      {"term with punctuation",
       "[[rule]]\nname = \"x\"\nreferral = \"119\"\nany = [\"着火\", \"有人，被困\"]\n",
       "rules.toml:4: rule \"x\": any: term \"有人，被困\" would never match folded text"},
      {"term with a space", "[[rule]]\nname = \"x\"\nreferral = \"119\"\nany = [\"着 火\"]\n",
       "write \"着火\""},
      {"term in upper case", "[[rule]]\nname = \"x\"\nreferral = \"119\"\nany = [\"SOS\"]\n",
       "write \"sos\""},
      {"term not a string", "[[rule]]\nname = \"x\"\nreferral = \"119\"\nany = [119]\n",
       "rules.toml:4: rule \"x\": any: expected an array of strings"},
      {"near without within",
       "[[rule]]\nname = \"x\"\nreferral = \"119\"\nnear = [{ a = [\"电梯\"], b = [\"困\"] }]\n",
       "rules.toml:4: rule \"x\": near: missing \"within\""},
      {"near too wide",
       "[[rule]]\nname = \"x\"\nreferral = \"119\"\nnear = [{ a = [\"电梯\"], b = [\"困\"], within "
       "= 500 }]\n",
       "rule \"x\": near.within: must be between 0 and 200"},
      {"unknown near key",
       "[[rule]]\nname = \"x\"\nreferral = \"119\"\nnear = [{ a = [\"电梯\"], b = [\"困\"], within "
       "= 2, c = 1 }]\n",
       "rules.toml:4: rule \"x\": near: unknown key \"c\""},
      {"exclusion without mode", "[exclusion.past]\nterms = [\"去年\"]\n" + fire_rule,
       "rules.toml:1: exclusion \"past\": missing \"mode\""},
      {"unknown exclusion mode",
       "[exclusion.past]\nmode = \"nearby\"\nterms = [\"去年\"]\n" + fire_rule,
       "rules.toml:2: exclusion \"past\": mode \"nearby\" must be mask, window or text"},
      {"window without a side",
       "[exclusion.past]\nmode = \"window\"\nterms = [\"去年\"]\n" + fire_rule,
       "rules.toml:1: exclusion \"past\": mode = \"window\" needs \"before\", \"after\" or both"},
      {"before on a mask",
       "[exclusion.f]\nmode = \"mask\"\nbefore = 3\nterms = [\"火爆\"]\n" + fire_rule,
       "rules.toml:3: exclusion \"f\": \"before\" applies only to mode = \"window\""},
      {"unknown exclusion key", "[exclusion.f]\nmode = \"mask\"\nterm = [\"火爆\"]\n" + fire_rule,
       "rules.toml:3: exclusion \"f\": unknown key \"term\""},
      {"bad applies_to",
       "[exclusion.f]\nmode = \"mask\"\nterms = [\"火爆\"]\napplies_to = [\"everything\"]\n" +
           fire_rule,
       "rules.toml:4: exclusion \"f\": applies_to \"everything\" must be one of emergency, route, "
       "category"},
      {"ignore of an unknown group",
       "[[rule]]\nname = \"x\"\nreferral = \"119\"\nany = [\"着火\"]\nignore = [\"past\"]\n",
       "rules.toml:5: rule \"x\": ignore: no exclusion group \"past\""},
      {"local exclusion with applies_to",
       fire_rule +
           "[[rule.exclude]]\nmode = \"mask\"\nterms = [\"火爆\"]\napplies_to = [\"route\"]\n",
       "rules.toml:9: rule \"fire\": exclude: unknown key \"applies_to\""},
      {"negation window too wide", "[negation]\nwindow = 50\nnegators = [\"没有\"]\n" + fire_rule,
       "rules.toml:2: negation.window: must be between 0 and 20"},
      {"unknown negation key", "[negation]\nnegator = [\"没有\"]\n" + fire_rule,
       "rules.toml:2: negation: unknown key \"negator\""},
      {"unknown version", "version = 2\n" + fire_rule,
       "rules.toml:1: version: this collector reads version = 1"},
      {"no rules", "version = 1\n", "rules.toml:1: no rules"},
      {"categories listed twice", "categories = [\"a\", \"a\"]\n" + fire_rule,
       "rules.toml:1: categories: \"a\" is listed twice"},
  };
  for (const auto& c : cases) {
    try {
      load(c.rules);
      ADD_FAILURE() << c.name << ": loaded without error";
    } catch (const rules_error& e) {
      bool found = false;
      for (const auto& p : e.problems()) found = found || p.find(c.expected) != std::string::npos;
      EXPECT_TRUE(found) << c.name << ": expected \"" << c.expected << "\" in\n" << e.what();
    }
  }
}

TEST(triage_rule_set, every_problem_is_reported_at_once) {
  try {
    load("colour = 1\n[[rule]]\nname = \"a\"\nreferral = \"911\"\nany = [\"着 火\"]\n");
    FAIL() << "loaded without error";
  } catch (const rules_error& e) {
    EXPECT_EQ(e.problems().size(), 3u) << e.what();
  }
}

TEST(triage_rule_set, a_missing_file_is_a_startup_error) {
  try {
    rule_set::load_file("/nonexistent/triage-rules.toml");
    FAIL() << "loaded without error";
  } catch (const rules_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/triage-rules.toml:0: cannot open"),
              std::string::npos)
        << e.what();
  }
}

TEST(triage_rule_set, copies_share_the_compiled_rules) {
  const auto a = load(fire_rule);
  const rule_set b = a;  // cheap: what a collector hands to each worker
  EXPECT_EQ(decide(b, "着火了").triage.referral, "119");
  EXPECT_EQ(a.rule_names(), std::vector<std::string>{"fire"});
}

}  // namespace
}  // namespace intake::triage
