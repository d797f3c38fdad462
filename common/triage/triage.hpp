#pragma once
// Marks what must go to 110/119/120/122 at once, statutory-route matters and a category hint.
#include <string_view>

#include "common/model/submission.hpp"

namespace intake::triage {

/// Decides on the normalized (simplified-script) text. Pure: no I/O, no clock.
model::triage assess(std::string_view match_text);

}  // namespace intake::triage
