#pragma once
// The exact check behind every near-duplicate decision. Candidates come from the MinHash index
// (minhash.hpp); only this comparison of the full shingle sets decides.
#include <string_view>

#include "common/dedup/shingles.hpp"

namespace intake::dedup {

/// A text that holds at least this share of the other's bigrams "contains" it...
inline constexpr double containment_min = 0.9;
/// ...provided it is not too small beside it: containment alone would let "停水了" match
/// every long letter that mentions a water cut.
inline constexpr double containment_size_ratio = 0.4;

/// How two texts compare, over their character bigrams.
struct similarity_score {
  double jaccard = 0.0;      // |A∩B| / |A∪B|
  double containment = 0.0;  // |A∩B| / min(|A|, |B|)
  /// What thresholds compare against: the Jaccard similarity, raised to the containment when
  /// one text carries nearly all of the other (containment ≥ containment_min) and is at least
  /// containment_size_ratio of its size. That catches an SMS re-sent with a few words added
  /// ("路灯坏了" → "路灯坏了一个星期") and a letter sent again with a paragraph appended, which
  /// Jaccard alone scores low because the sets differ in size.
  double score = 0.0;
};

/// Compares two shingle sets. Symmetric; 0 when either is empty.
similarity_score compare(const shingles& a, const shingles& b);

/// compare(make_shingles(a), make_shingles(b)).score, for two script-folded texts (0..1).
double text_similarity(std::string_view a, std::string_view b);

}  // namespace intake::dedup
