#include "common/triage/triage.hpp"

#include "common/triage/rule_set.hpp"

namespace intake::triage {

model::triage assess(std::string_view match_text) {
  return rule_set::builtin().assess(match_text);
}

}  // namespace intake::triage
