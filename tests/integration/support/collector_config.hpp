#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace intake::testing {

/// The few fields a test varies, rendered into a collector TOML file.
struct collector_config {
  std::string id = "county-01";
  std::string region = "440303";
  std::string mqtt_uri;
  /// Short reconnect delays: a recovered broker is used within about a second.
  std::string reconnect_min = "100ms";
  std::string reconnect_max = "1s";
  /// More keys as "section.key" → a TOML value literal (strings quoted by the caller), e.g.
  /// {"outbox.max_events", "50"}; merged into their [section] so no table is declared twice.
  std::map<std::string, std::string> settings;
  /// Raw TOML appended at the end, for anything the above does not cover.
  std::vector<std::string> extra_lines;

  collector_config& set(const std::string& dotted_key, const std::string& toml_value) {
    settings[dotted_key] = toml_value;
    return *this;
  }

  /// The TOML text with `data_dir`, an ephemeral HTTP port and the api channel on.
  std::string to_toml(const std::filesystem::path& data_dir) const;
};

/// A TOML basic string literal of `text`.
std::string toml_string(const std::string& text);

}  // namespace intake::testing
