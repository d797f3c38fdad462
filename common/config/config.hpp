#pragma once
// A loaded, validated configuration. Loading throws config_error (startup only); reading a key
// that was not declared is a programming error and throws std::logic_error.
#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/config/key_spec.hpp"

namespace intake::config {

/// All problems found in a file, each formatted `file:line: key: reason`.
class config_error : public std::runtime_error {
 public:
  explicit config_error(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

class config {
 public:
  /// Parses and validates `path` against `specs`. Throws config_error listing every problem.
  static config load_file(const std::string& path, const std::vector<key_spec>& specs);
  /// Same, from text (for tests); `name` stands in for the file name in messages.
  static config load_string(const std::string& text, const std::string& name,
                            const std::vector<key_spec>& specs);

  bool has(const std::string& path) const;
  const std::string& get_string(const std::string& path) const;
  std::int64_t get_int(const std::string& path) const;
  double get_double(const std::string& path) const;
  bool get_bool(const std::string& path) const;
  const std::vector<std::string>& get_list(const std::string& path) const;
  std::chrono::milliseconds get_duration(const std::string& path) const;
  std::uint64_t get_size(const std::string& path) const;
  /// The contents of the secret file named by a secret_file key, trailing newline removed.
  std::string read_secret(const std::string& path) const;

  /// The file the configuration came from.
  const std::string& source() const { return source_; }

  /// The value in effect (the file's, or the default); std::monostate when an optional key is
  /// absent. Throws std::out_of_range for an undeclared key.
  const value& at(const std::string& path) const;

 private:
  std::map<std::string, value> values_;
  std::map<std::string, key_type> types_;
  std::string source_;
};

/// Parses "250ms", "30s", "5m", "72h", "7d" (or a bare number of milliseconds).
std::optional<std::int64_t> parse_duration_ms(const std::string& text);
/// Parses "512", "64KiB", "64MiB", "2GiB", "1KB", "1MB".
std::optional<std::int64_t> parse_size_bytes(const std::string& text);

}  // namespace intake::config
