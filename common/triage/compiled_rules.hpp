#pragma once
// The in-memory form of a rules file, shared by the file reader (rule_file.cpp) and the
// evaluator (rule_set.cpp). Terms are ids into one term_matcher so a text is scanned once.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/triage/term_matcher.hpp"

namespace intake::triage::detail {

using term_ids = std::vector<std::uint32_t>;

/// A term of `a` within `within` characters of a term of `b`, in either order.
struct proximity {
  term_ids a;
  term_ids b;
  std::uint32_t within = 0;
};

/// What a rule or an exclusion looks for: any one of the terms, or any one proximity pair.
struct pattern {
  term_ids any;
  std::vector<proximity> near;
};

enum class exclusion_mode {
  mask,    // an exclusion occurrence that contains a term occurrence hides it (figurative use)
  window,  // an exclusion occurrence close before/after a match cancels it (past, hypothetical)
  text,    // an exclusion anywhere in the text stops the rule
};

struct exclusion {
  std::string name;
  exclusion_mode mode = exclusion_mode::window;
  std::optional<std::uint32_t> before;  // window: characters between exclusion end and match
  std::optional<std::uint32_t> after;   // window: characters between match end and exclusion
  pattern match;
  term_ids reset;  // window: one of these between the two cancels the exclusion ("现在")
};

enum class rule_kind { emergency, route, category };

struct rule {
  std::string name;
  rule_kind kind = rule_kind::emergency;
  std::string outcome;  // the referral number, the route or the category
  pattern match;
  bool negation = true;
  std::vector<std::uint32_t> exclusions;  // indexes into compiled_rules::exclusions
};

struct negation_spec {
  std::uint32_t window = 3;  // characters allowed between a negator and the term it negates
  term_ids negators;
  term_ids exceptions;  // contain a negator but do not negate ("没想到", "未成年")
};

struct compiled_rules {
  term_matcher terms;
  negation_spec negation;
  std::vector<exclusion> exclusions;  // the global groups first, then every rule's own
  std::vector<rule> rules;
  std::vector<std::string> categories;
};

/// Parses and compiles a rules file's text. Throws rules_error listing every problem.
compiled_rules parse_rules(std::string_view toml, const std::string& name);

}  // namespace intake::triage::detail
