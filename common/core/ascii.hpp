#pragma once
// ASCII case folding for protocol tokens (header names, charsets, media types, hex digests):
// locale-independent, and bytes outside A-Z, UTF-8 included, pass through untouched.
#include <string>
#include <string_view>

namespace intake::core {

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace intake::core
