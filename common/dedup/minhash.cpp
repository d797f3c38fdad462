#include "common/dedup/minhash.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace intake::dedup {

namespace {

// Fixed parameters, a pair per hash function: the same on every machine and in every release.
struct hash_params {
  std::array<std::uint64_t, signature_size> xor_with{}, multiply_by{};
};
constexpr hash_params make_params() {
  hash_params p;
  std::uint64_t state = 0x6a09e667f3bcc908ULL;  // sqrt(2), to show there is nothing up the sleeve
  for (std::size_t k = 0; k < signature_size; ++k) {
    state += 0x9e3779b97f4a7c15ULL;
    p.xor_with[k] = mix64(state);
    state += 0x9e3779b97f4a7c15ULL;
    p.multiply_by[k] = mix64(state) | 1;  // odd: multiplication is then a bijection
  }
  return p;
}
constexpr hash_params params = make_params();

std::uint64_t scope_of(char kind, std::string_view text) {
  // FNV-1a, then the finaliser: scope strings are short and this is not on a hot path.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto feed = [&h](unsigned char c) {
    h ^= c;
    h *= 0x100000001b3ULL;
  };
  feed(static_cast<unsigned char>(kind));
  feed(0x1f);
  for (const char c : text) feed(static_cast<unsigned char>(c));
  return mix64(h ^ scheme_version);
}

}  // namespace

signature make_signature(const shingles& s) {
  signature sig;
  sig.fill(std::numeric_limits<std::uint64_t>::max());
  // Shingle hashes are already uniform (mix64), so one xor and one multiply per function is
  // enough: the minimum is decided by the product's high bits, which depend on every input bit.
  // A full mix per function cost four times as much on a 2,000-character letter.
  for (const auto h : s.hashes) {
    for (std::size_t k = 0; k < signature_size; ++k) {
      sig[k] = std::min(sig[k], (h ^ params.xor_with[k]) * params.multiply_by[k]);
    }
  }
  return sig;
}

band_keys make_band_keys(std::uint64_t scope, const signature& sig) {
  band_keys keys{};
  for (std::size_t b = 0; b < band_count; ++b) {
    std::uint64_t h = mix64((b + 1) ^ (scheme_version << 32));
    for (std::size_t r = 0; r < rows_per_band; ++r) h = mix64(h ^ sig[b * rows_per_band + r]);
    keys[b] = {static_cast<std::int64_t>(scope), static_cast<std::int64_t>(h)};
  }
  return keys;
}

std::string make_sketch(const band_keys& keys) {
  std::string out(2 * band_count, '\0');
  for (std::size_t b = 0; b < band_count; ++b) {
    const auto top = static_cast<std::uint64_t>(keys[b].band) >> 48;
    out[2 * b] = static_cast<char>(top & 0xff);
    out[2 * b + 1] = static_cast<char>(top >> 8);
  }
  return out;
}

std::size_t shared_bands(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  for (std::size_t i = 0; i + 1 < a.size() && i + 1 < b.size(); i += 2)
    n += a[i] == b[i] && a[i + 1] == b[i + 1];
  return n;
}

std::uint64_t submitter_scope(std::string_view ref) {
  return scope_of('s', ref);
}

std::uint64_t place_scope(std::string_view place_key) {
  return scope_of('p', place_key);
}

std::uint64_t corpus_scope() {
  return scope_of('c', {});
}

double candidate_probability(double jaccard) {
  return 1.0 - std::pow(1.0 - std::pow(jaccard, static_cast<double>(rows_per_band)),
                        static_cast<double>(band_count));
}

}  // namespace intake::dedup
