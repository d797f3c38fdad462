#pragma once
// Marks what must go to 110/119/120/122 at once, statutory-route matters and a category hint,
// with the shipped default rules. A deployment's own rules file is loaded with rule_set.
#include <string_view>

#include "common/model/submission.hpp"

namespace intake::triage {

/// Decides on the script-folded text with the built-in default rules (rule_set::builtin()).
/// Pure: no I/O, no clock; never throws but for std::bad_alloc.
model::triage assess(std::string_view match_text);

}  // namespace intake::triage
