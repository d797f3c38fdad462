#pragma once
// One row per configuration key: its path, type, default and description. Every key the
// collector reads is declared exactly once in such a row (Fluent Bit's config-map style).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace intake::config {

enum class key_type {
  string,
  integer,
  floating,
  boolean,
  string_list,  // a string or an array of strings
  duration,     // "250ms", "30s", "5m", "72h", "7d" → milliseconds
  size,         // 1048576, "512KiB", "64MiB", "2GiB" → bytes
  secret_file,  // a path to a file whose contents are a secret; the file must be readable
};

using value =
    std::variant<std::monostate, std::string, std::int64_t, double, bool, std::vector<std::string>>;

/// Returns an error reason for a bad value, or nothing when the value is acceptable.
using validator = std::function<std::optional<std::string>(const value&)>;

struct key_spec {
  std::string path;  // dotted: "http.listen", "channels.api.enabled"
  key_type type;
  value default_value;  // std::monostate = required (unless optional_key)
  std::string description;
  validator check = nullptr;
  bool optional_key = false;  // may be absent with no default
  /// A boolean key (a channel's "enabled", made absolute by the registry) that, when true, makes
  /// this key required: it must then be present with a non-empty value. Checked when the file is
  /// loaded, so `--check-config` reports it with the rest rather than the daemon at startup.
  std::string required_when = {};
};

std::string_view type_name(key_type t);

}  // namespace intake::config
