#pragma once
// The shipped default triage rules, compiled into the binary so triage works without a file.
#include <string_view>

namespace intake::triage {

/// The text of packaging/triage-rules.toml as of this build (a unit test keeps them equal).
std::string_view default_rules_toml();

}  // namespace intake::triage
