#pragma once
// MinHash signatures and LSH band keys: how near-duplicate candidates are found through an index
// instead of a scan. Two texts share a band key with probability 1 - (1 - J^r)^b for Jaccard
// similarity J (b bands of r min-hashes): with b = 16, r = 2 that is 0.94 at J = 0.4, 0.99 at
// J = 0.5 and 1 - 10^-7 at J = 0.8, so both the 0.8 same-submitter rule and the lower
// same-place rule get their candidates. Every key belongs to a scope (one submitter, one place),
// so a lookup only meets rows of that person or that place: its cost does not grow with the
// number of submissions in the window. The scope leads the stored key, so one scope's rows sit
// together in the b-tree: a lookup and a new record's keys touch a page or two, not sixteen.
//
// Band keys are stored in the outbox: changing any constant or hash here changes every key, so
// bump scheme_version with it (old rows then simply stop matching until they age out).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/dedup/shingles.hpp"

namespace intake::dedup {

inline constexpr std::uint64_t scheme_version = 1;
inline constexpr std::size_t band_count = 16;
inline constexpr std::size_t rows_per_band = 2;
inline constexpr std::size_t signature_size = band_count * rows_per_band;

/// The min-hash of each of signature_size hash functions over a shingle set.
using signature = std::array<std::uint64_t, signature_size>;

/// One band of a signature within a scope. Signed because SQLite stores 64-bit signed integers.
struct band_key {
  std::int64_t scope = 0;
  std::int64_t band = 0;  // hash of the band's index and min-hashes
  friend bool operator==(const band_key&, const band_key&) = default;
};
using band_keys = std::array<band_key, band_count>;

/// The signature of a non-empty shingle set (an empty one yields all-ones; do not index it).
signature make_signature(const shingles& s);

/// The band keys of a signature within a scope.
band_keys make_band_keys(std::uint64_t scope, const signature& sig);

/// Sixteen bits of each band of a signature, two bytes per band: stored with a place listing,
/// it tells whether a listed request shares a band with a new one without fetching it (a
/// false "shares" costs one fetch, 1 time in 4,096).
std::string make_sketch(const band_keys& keys);
/// How many bands two sketches share.
std::size_t shared_bands(std::string_view a, std::string_view b);

/// The scope of one submitter's records (their submitter.ref).
std::uint64_t submitter_scope(std::string_view ref);
/// The scope of one place (a key from place_keys()).
std::uint64_t place_scope(std::string_view place_key);
/// One scope for a whole corpus, for evaluation: every text is a candidate of every other.
std::uint64_t corpus_scope();

/// The chance that two texts of Jaccard similarity `jaccard` share a band key.
double candidate_probability(double jaccard);

}  // namespace intake::dedup
