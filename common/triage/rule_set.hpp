#pragma once
// A compiled set of triage rules: which messages must go to 110/119/120/122 at once, which belong
// to a statutory route, and a category hint. Loaded once at startup from a TOML rules file
// (docs/TRIAGE.md); assessing a message is then pure and safe from any number of threads.
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/submission.hpp"

namespace intake::triage {

namespace detail {
struct compiled_rules;
}

/// Every problem found in a rules file, each formatted `file:line: reason`.
class rules_error : public std::runtime_error {
 public:
  explicit rules_error(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

/// What a rule set decided about one message, with the rule behind each part.
struct decision {
  model::triage triage;        // triage.rule: the emergency rule, else the route, else category
  std::string emergency_rule;  // empty when none fired
  std::string route_rule;
  std::string category_rule;
  std::string emergency_match;  // the stretch of match text that fired the emergency rule
  std::string route_match;
};

class rule_set {
 public:
  /// Reads and compiles a rules file. Throws rules_error listing every problem (startup only).
  static rule_set load_file(const std::string& path);
  /// Same, from text; `name` stands in for the file name in messages.
  static rule_set load_string(std::string_view toml, const std::string& name);
  /// The shipped default rules (packaging/triage-rules.toml, embedded in the binary), compiled on
  /// first use. Their validity is checked by the unit tests, so this does not throw in practice.
  static const rule_set& builtin();

  /// Decides on script-folded text (normalize::fold_for_matching). Never throws but for
  /// std::bad_alloc; costs one pass over the text plus work per term occurrence found.
  decision decide(std::string_view match_text) const;
  /// decide(match_text).triage.
  model::triage assess(std::string_view match_text) const { return decide(match_text).triage; }

  /// Names of the rules, in evaluation order.
  std::vector<std::string> rule_names() const;
  /// The category taxonomy the rules draw their hints from.
  const std::vector<std::string>& categories() const;

 private:
  explicit rule_set(std::shared_ptr<const detail::compiled_rules> rules);
  std::shared_ptr<const detail::compiled_rules> rules_;
};

}  // namespace intake::triage
