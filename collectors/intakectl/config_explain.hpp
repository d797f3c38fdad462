#pragma once
// `intakectl config explain KEY`: a key's type, default, meaning and the value in effect, so an
// operator need not read the source to know what a setting does.
#include <optional>
#include <ostream>
#include <string>

#include "common/config/config.hpp"

namespace intake::ctl {

/// Prints the explanation of `key`; `cfg` is the loaded configuration when it could be read.
/// Returns 0, or 1 for an unknown key (with the closest keys suggested).
int explain_config_key(const std::string& key, const config::config* cfg, std::ostream& out,
                       std::ostream& err);

/// A value as it would be written in the TOML file ("30s", "64MiB", ["a", "b"], true).
std::string value_text(const config::value& v, config::key_type type);

}  // namespace intake::ctl
