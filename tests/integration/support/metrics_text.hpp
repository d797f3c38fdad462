#pragma once

#include <optional>
#include <string_view>

namespace intake::testing {

/// The value of an unlabelled sample (e.g. "intake_outbox_depth") in Prometheus text format.
std::optional<double> metric_value(std::string_view metrics_text, std::string_view name);

}  // namespace intake::testing
