#include "common/dedup/shingles.hpp"

#include <algorithm>
#include <iterator>

namespace intake::dedup {

namespace {

// Decodes one code point; malformed input advances one byte so stored text never stalls us.
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t len = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 1;
  if (len == 1 || i + len > s.size()) {
    ++i;
    return c;
  }
  std::uint32_t cp = c & (0x7fU >> len);
  for (std::size_t k = 1; k < len; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3fU);
  i += len;
  return cp;
}

}  // namespace

shingles make_shingles(std::string_view match_text) {
  shingles out;
  std::vector<std::uint32_t> cps;
  cps.reserve(match_text.size());
  for (std::size_t i = 0; i < match_text.size();) cps.push_back(next_code_point(match_text, i));
  out.chars = cps.size();
  if (cps.empty()) return out;
  if (cps.size() == 1) {
    // Tagged apart from every bigram (code points need 21 bits, a bigram 42).
    out.hashes.push_back(mix64((1ULL << 63) | cps[0]));
    return out;
  }
  out.hashes.reserve(cps.size() - 1);
  for (std::size_t i = 0; i + 1 < cps.size(); ++i) {
    out.hashes.push_back(mix64((static_cast<std::uint64_t>(cps[i]) << 21) | cps[i + 1]));
  }
  std::sort(out.hashes.begin(), out.hashes.end());
  out.hashes.erase(std::unique(out.hashes.begin(), out.hashes.end()), out.hashes.end());
  return out;
}

shingles without(const shingles& a, const shingles& b) {
  shingles out;
  out.chars = a.chars;
  std::set_difference(a.hashes.begin(), a.hashes.end(), b.hashes.begin(), b.hashes.end(),
                      std::back_inserter(out.hashes));
  return out;
}

}  // namespace intake::dedup
