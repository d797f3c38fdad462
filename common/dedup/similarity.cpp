#include "common/dedup/similarity.hpp"

#include <algorithm>

namespace intake::dedup {

similarity_score compare(const shingles& a, const shingles& b) {
  similarity_score s;
  if (a.empty() || b.empty()) return s;
  std::size_t common = 0;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a.hashes[i] == b.hashes[j]) {
      ++common;
      ++i;
      ++j;
    } else if (a.hashes[i] < b.hashes[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  const auto smaller = static_cast<double>(std::min(a.size(), b.size()));
  const auto larger = static_cast<double>(std::max(a.size(), b.size()));
  s.jaccard = static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
  s.containment = static_cast<double>(common) / smaller;
  s.score = s.jaccard;
  if (s.containment >= containment_min && smaller >= containment_size_ratio * larger) {
    s.score = std::max(s.jaccard, s.containment);
  }
  return s;
}

double text_similarity(std::string_view a, std::string_view b) {
  return compare(make_shingles(a), make_shingles(b)).score;
}

}  // namespace intake::dedup
