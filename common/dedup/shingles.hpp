#pragma once
// The units near-duplicate detection compares: character bigrams of the script-folded text.
// Bigrams of code points carry a Chinese text well (most words are two characters) and still
// give a 20-character SMS some twenty members to compare, where trigrams or word shingles would
// leave too few for one edited character not to swamp the score.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace intake::dedup {

/// The set of a text's character bigrams, as sorted unique 64-bit hashes.
struct shingles {
  std::vector<std::uint64_t> hashes;
  std::size_t chars = 0;  // code points of the text

  bool empty() const { return hashes.empty(); }
  std::size_t size() const { return hashes.size(); }
};

/// Shingles of a script-folded text (normalize::fold_for_matching). A text of one code point is
/// its own single shingle; an empty text has none and never matches anything. Invalid UTF-8
/// bytes count as one code point each rather than failing: this runs on stored text.
shingles make_shingles(std::string_view match_text);

/// `a` without the shingles of `b` (both sorted sets).
shingles without(const shingles& a, const shingles& b);

/// The 64-bit finaliser every dedup hash goes through (SplitMix64). Stable across builds and
/// machines, because band keys made from it are stored in the outbox.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace intake::dedup
