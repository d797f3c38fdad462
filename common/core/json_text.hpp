#pragma once
// JSON string literals for the places that write JSON by hand (log lines, error bodies), where a
// RapidJSON writer would be heavier than the text it writes.
#include <string>
#include <string_view>

namespace intake::core {

/// Appends `s` as a quoted JSON string; control characters become \uXXXX (or \n, \r, \t).
void append_json_string(std::string& out, std::string_view s);

/// `s` as a quoted JSON string.
inline std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_json_string(out, s);
  return out;
}

}  // namespace intake::core
