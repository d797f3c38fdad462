#include "tests/integration/support/metrics_text.hpp"

#include <cstdlib>
#include <string>

namespace intake::testing {

std::optional<double> metric_value(std::string_view metrics_text, std::string_view name) {
  std::size_t pos = 0;
  while (pos < metrics_text.size()) {
    auto end = metrics_text.find('\n', pos);
    if (end == std::string_view::npos) end = metrics_text.size();
    const auto line = metrics_text.substr(pos, end - pos);
    pos = end + 1;
    if (line.size() > name.size() && line.substr(0, name.size()) == name &&
        line[name.size()] == ' ') {
      const std::string value(line.substr(name.size() + 1));
      char* parsed_end = nullptr;
      const double v = std::strtod(value.c_str(), &parsed_end);
      if (parsed_end != value.c_str()) return v;
    }
  }
  return std::nullopt;
}

}  // namespace intake::testing
