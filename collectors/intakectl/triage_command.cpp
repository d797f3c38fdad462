#include "collectors/intakectl/triage_command.hpp"

#include <iostream>
#include <optional>

#include "common/normalize/text.hpp"
#include "common/triage/rule_set.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: intakectl triage [--rules FILE] TEXT...\n"
         "  decides on TEXT as the collector would and prints the rule behind each part;\n"
         "  --rules FILE tries a rules file instead of the built-in default\n";
}

std::string or_none(const std::optional<std::string>& value) {
  return value ? *value : "none";
}

std::string rule_note(const std::string& rule, const std::string& match = {}) {
  if (rule.empty()) return "";
  return "  (rule " + rule + (match.empty() ? "" : ", on \"" + match + "\"") + ")";
}

}  // namespace

int run_triage_command(const std::vector<std::string>& words, std::ostream& out) {
  std::optional<std::string> rules_path;
  std::string text;
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (words[i] == "--rules") {
      if (i + 1 >= words.size()) {
        usage(std::cerr);
        return 2;
      }
      rules_path = words[++i];
      continue;
    }
    if (!text.empty()) text += ' ';
    text += words[i];
  }
  if (text.empty()) {
    usage(std::cerr);
    return 2;
  }

  std::optional<intake::triage::rule_set> loaded;
  if (rules_path) {
    try {
      loaded = intake::triage::rule_set::load_file(*rules_path);
    } catch (const intake::triage::rules_error& e) {
      for (const auto& p : e.problems()) std::cerr << p << "\n";
      return 2;
    }
  }
  const auto& rules = loaded ? *loaded : intake::triage::rule_set::builtin();

  const auto normalized = intake::normalize::normalize_text(text);
  if (!normalized) {
    std::cerr << "intakectl: " << normalized.error().message << "\n";
    return 2;
  }
  if (!intake::normalize::script_folding_available()) {
    std::cerr << "intakectl: warning: OpenCC is unavailable, traditional script is not folded\n";
  }
  const std::string match_text = intake::normalize::fold_for_matching(*normalized);
  const auto d = rules.decide(match_text);
  const bool emergency = d.triage.urgency == intake::model::urgency::emergency;

  out << "urgency:         " << (emergency ? "emergency" : "normal") << "\n"
      << "referral:        " << or_none(d.triage.referral)
      << rule_note(d.emergency_rule, d.emergency_match) << "\n"
      << "statutory route: " << or_none(d.triage.statutory_route)
      << rule_note(d.route_rule, d.route_match) << "\n"
      << "category:        " << or_none(d.triage.category_hint) << rule_note(d.category_rule)
      << "\n"
      << "rule:            " << (d.triage.rule.empty() ? "none" : d.triage.rule) << "\n"
      << "folded text:     " << match_text << "\n";
  return 0;
}
