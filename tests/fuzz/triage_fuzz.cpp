// Triage: the built-in rules decide on any folded text; a rules file of any content compiles or
// is refused with rules_error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/normalize/text.hpp"
#include "common/triage/rule_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto text = intake::normalize::normalize_text(in)) {
    (void)intake::triage::rule_set::builtin().decide(intake::normalize::fold_for_matching(*text));
  }
  try {
    auto rules = intake::triage::rule_set::load_string(in, "fuzz-rules.toml");
    (void)rules.decide("着火了有人被困");
  } catch (const intake::triage::rules_error&) {
    // Refused with its problems listed, as at startup; any other exception is a finding.
  }
  return 0;
}
