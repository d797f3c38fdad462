#pragma once
#include <vector>

#include "common/config/key_spec.hpp"

namespace intake::config {

/// Every key outside [channels.*]: collector, http, upstream, outbox, dedup, limits, privacy, log.
std::vector<key_spec> core_keys();

/// Validators shared by key tables.
validator in_range(std::int64_t min, std::int64_t max);
validator one_of(std::vector<std::string> allowed);
validator matches_pattern(std::string pattern, std::string reason);

}  // namespace intake::config
