#include "common/dedup/similarity.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace intake::dedup {

namespace {
std::vector<std::uint32_t> code_points(std::string_view s) {
  std::vector<std::uint32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    std::uint32_t cp = len == 1 ? c : c & (0x7f >> len);
    for (int k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

std::vector<std::uint64_t> bigrams(std::string_view s) {
  const auto cps = code_points(s);
  std::vector<std::uint64_t> out;
  if (cps.size() < 2) {
    if (!cps.empty()) out.push_back(cps[0]);
    return out;
  }
  out.reserve(cps.size() - 1);
  for (std::size_t i = 0; i + 1 < cps.size(); ++i) {
    out.push_back((static_cast<std::uint64_t>(cps[i]) << 32) | cps[i + 1]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}
}  // namespace

double text_similarity(std::string_view a, std::string_view b) {
  if (a == b) return 1.0;
  const auto x = bigrams(a);
  const auto y = bigrams(b);
  if (x.empty() || y.empty()) return 0.0;
  std::size_t common = 0;
  for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
    if (x[i] == y[j]) {
      ++common;
      ++i;
      ++j;
    } else if (x[i] < y[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  const std::size_t unioned = x.size() + y.size() - common;
  return static_cast<double>(common) / static_cast<double>(unioned);
}

}  // namespace intake::dedup
