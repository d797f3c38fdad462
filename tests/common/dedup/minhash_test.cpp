#include "common/dedup/minhash.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "common/dedup/similarity.hpp"

namespace intake::dedup {
namespace {

bool share_a_key(const band_keys& a, const band_keys& b) {
  for (std::size_t i = 0; i < band_count; ++i)
    if (a[i] == b[i]) return true;
  return false;
}

band_keys keys_of(std::string_view text, std::uint64_t scope = corpus_scope()) {
  return make_band_keys(scope, make_signature(make_shingles(text)));
}

void append_cjk(std::string& s, char32_t cp) {
  s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
  s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
  s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
}

std::vector<char32_t> random_text(std::mt19937_64& rng, std::size_t chars) {
  std::vector<char32_t> out(chars);
  for (auto& c : out) c = 0x4E00 + static_cast<char32_t>(rng() % 2500);
  return out;
}

std::string utf8(const std::vector<char32_t>& cps) {
  std::string s;
  for (const auto c : cps) append_cjk(s, c);
  return s;
}

TEST(band_keys, are_stable_across_builds) {
  // Stored in the outbox: a change here silently orphans every stored key. Bump
  // scheme_version and update these on purpose, never by accident.
  const auto keys = keys_of("小区门口路灯坏了一个星期", submitter_scope("ref-1"));
  EXPECT_EQ(keys[0].scope, INT64_C(7861747685364435175)) << keys[0].scope;
  EXPECT_EQ(keys[0].band, INT64_C(851273388119386398)) << keys[0].band;
  EXPECT_EQ(keys[15].band, INT64_C(-1863111093796083309)) << keys[15].band;
}

TEST(band_keys, depend_on_the_scope) {
  const std::string text = "小区门口路灯坏了一个星期";
  const auto a = keys_of(text, submitter_scope("ref-1"));
  EXPECT_EQ(a, keys_of(text, submitter_scope("ref-1")));
  EXPECT_FALSE(share_a_key(a, keys_of(text, submitter_scope("ref-2"))));
  EXPECT_FALSE(share_a_key(a, keys_of(text, place_scope("ref-1"))));
  EXPECT_FALSE(share_a_key(keys_of(text, place_scope("asset:lamp-1")),
                           keys_of(text, place_scope("asset:lamp-2"))));
}

TEST(candidate_probability, follows_the_banding) {
  EXPECT_NEAR(candidate_probability(1.0), 1.0, 1e-12);
  EXPECT_NEAR(candidate_probability(0.0), 0.0, 1e-12);
  EXPECT_GT(candidate_probability(0.8), 0.9999);
  EXPECT_GT(candidate_probability(0.5), 0.98);
  EXPECT_LT(candidate_probability(0.1), 0.2);
}

// LSH candidate recall on a generated set: texts of 20 to 2,000 characters, each edited by
// substituting characters until its Jaccard similarity to the original falls in a band.
struct recall_band {
  double lo, hi;
  double min_rate;  // the measured share of pairs that share a band key
  std::size_t pairs = 0, hits = 0;
  double expected = 0.0;  // sum of candidate_probability over the pairs
};

TEST(band_keys, candidate_recall_on_a_generated_set) {
  std::mt19937_64 rng(20250101);
  std::vector<recall_band> bands = {
      {0.8, 1.01, 0.995}, {0.6, 0.8, 0.97}, {0.5, 0.6, 0.95}, {0.3, 0.5, 0.65}};
  std::size_t unrelated = 0, unrelated_hits = 0;
  const std::vector<std::size_t> lengths = {20, 40, 80, 200, 600, 2000};
  for (int round = 0; round < 400; ++round) {
    const std::size_t len = lengths[static_cast<std::size_t>(round) % lengths.size()];
    const auto base = random_text(rng, len);
    const auto base_shingles = make_shingles(utf8(base));
    const auto base_keys = make_band_keys(corpus_scope(), make_signature(base_shingles));
    // Several edit strengths per text: 2% to 40% of the characters substituted.
    for (const double share : {0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4}) {
      auto edited = base;
      const auto edits = std::max<std::size_t>(1, static_cast<std::size_t>(share * len));
      for (std::size_t e = 0; e < edits; ++e) edited[rng() % len] = 0x4E00 + rng() % 2500;
      const auto s = make_shingles(utf8(edited));
      const double j = compare(base_shingles, s).jaccard;
      const bool hit = share_a_key(base_keys, make_band_keys(corpus_scope(), make_signature(s)));
      for (auto& b : bands) {
        if (j >= b.lo && j < b.hi) {
          ++b.pairs;
          b.hits += hit;
          b.expected += candidate_probability(j);
        }
      }
    }
    const auto other = make_shingles(utf8(random_text(rng, len)));
    ++unrelated;
    unrelated_hits += share_a_key(base_keys, make_band_keys(corpus_scope(), make_signature(other)));
  }
  for (const auto& b : bands) {
    ASSERT_GT(b.pairs, 50u) << "band [" << b.lo << ", " << b.hi << ") too thin to measure";
    const double rate = static_cast<double>(b.hits) / static_cast<double>(b.pairs);
    EXPECT_GE(rate, b.min_rate) << "J in [" << b.lo << ", " << b.hi << "): " << b.hits << "/"
                                << b.pairs;
    // And the hash functions behave as the theory says (within sampling noise).
    EXPECT_NEAR(rate, b.expected / static_cast<double>(b.pairs), 0.06)
        << "J in [" << b.lo << ", " << b.hi << ")";
  }
  EXPECT_LE(unrelated_hits, unrelated / 50) << "unrelated texts sharing a band key";
}

}  // namespace
}  // namespace intake::dedup
