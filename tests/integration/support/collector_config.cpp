#include "tests/integration/support/collector_config.hpp"

#include <cstdio>
#include <sstream>

namespace intake::testing {

std::string toml_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

std::string collector_config::to_toml(const std::filesystem::path& data_dir) const {
  // Start from the base keys, then let `settings` override or add per section.
  std::map<std::string, std::map<std::string, std::string>> sections;
  sections["collector"]["id"] = toml_string(id);
  sections["collector"]["region"] = toml_string(region);
  sections["collector"]["data_dir"] = toml_string(data_dir.string());
  sections["http"]["listen"] = toml_string("127.0.0.1:0");
  sections["upstream"]["mqtt_uri"] = toml_string(mqtt_uri);
  sections["upstream"]["reconnect_min"] = toml_string(reconnect_min);
  sections["upstream"]["reconnect_max"] = toml_string(reconnect_max);
  sections["channels.api"]["enabled"] = "true";
  for (const auto& [dotted, value] : settings) {
    const auto dot = dotted.rfind('.');
    sections[dotted.substr(0, dot)][dotted.substr(dot + 1)] = value;
  }

  std::ostringstream out;
  for (const auto& [section, keys] : sections) {
    out << "[" << section << "]\n";
    for (const auto& [key, value] : keys) out << key << " = " << value << "\n";
    out << "\n";
  }
  for (const auto& line : extra_lines) out << line << "\n";
  return out.str();
}

}  // namespace intake::testing
