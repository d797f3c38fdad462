#include "common/triage/term_matcher.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace intake::triage {
namespace {

using found = std::tuple<std::string, std::uint32_t, std::uint32_t>;  // term, start, end

std::vector<found> scan(const term_matcher& m, std::string_view text) {
  std::vector<term_hit> hits;
  m.scan(text, hits);
  std::vector<found> out;
  for (const auto& h : hits) out.emplace_back(m.term(h.term), h.at.start, h.at.end);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(triage_term_matcher, overlapping_terms_are_all_found) {
  term_matcher m;
  for (const char* t : {"he", "she", "his", "hers"}) m.add(t);
  m.build();
  EXPECT_EQ(scan(m, "ushers"), (std::vector<found>{{"he", 2, 4}, {"hers", 2, 6}, {"she", 1, 4}}));
}

TEST(triage_term_matcher, positions_count_characters_not_bytes) {
  term_matcher m;
  m.add("着火");
  m.add("火");
  m.add("a火");
  m.build();
  EXPECT_EQ(scan(m, "楼下着火了a火"),
            (std::vector<found>{{"a火", 5, 7}, {"火", 3, 4}, {"火", 6, 7}, {"着火", 2, 4}}));
}

TEST(triage_term_matcher, same_term_same_id) {
  term_matcher m;
  const auto a = m.add("着火");
  const auto b = m.add("起火");
  EXPECT_EQ(m.add("着火"), a);
  EXPECT_NE(a, b);
  EXPECT_EQ(m.size(), 2u);
}

TEST(triage_term_matcher, agrees_with_a_naive_search) {
  // Short terms over a small alphabet of one-, two- and three-byte characters make many
  // overlaps and shared prefixes, where failure links go wrong if they go wrong at all.
  const std::vector<std::string> alphabet = {"a", "b", "é", "火", "着"};
  std::mt19937 rng(12345);
  auto random_text = [&](std::size_t chars) {
    std::string s;
    for (std::size_t i = 0; i < chars; ++i) s += alphabet[rng() % alphabet.size()];
    return s;
  };
  for (int round = 0; round < 50; ++round) {
    term_matcher m;
    std::vector<std::string> terms;
    for (int i = 0; i < 12; ++i) {
      terms.push_back(random_text(1 + rng() % 4));
      m.add(terms.back());
    }
    m.build();
    const std::string text = random_text(200);
    std::vector<found> expected;
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    for (const auto& t : terms) {
      for (auto pos = text.find(t); pos != std::string::npos; pos = text.find(t, pos + 1)) {
        // Only matches starting on a character boundary are real (find also sees byte-level
        // ones inside multi-byte characters, which the alphabet's distinct lead bytes exclude).
        auto chars = [&](std::size_t bytes) {
          return static_cast<std::uint32_t>(
              std::count_if(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bytes),
                            [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
        };
        expected.emplace_back(t, chars(pos), chars(pos + t.size()));
      }
    }
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(scan(m, text), expected) << "round " << round;
  }
}

TEST(triage_term_matcher, nothing_to_find) {
  term_matcher empty;
  empty.build();
  EXPECT_TRUE(scan(empty, "着火").empty());
  term_matcher m;
  m.add("着火");
  m.build();
  EXPECT_TRUE(scan(m, "").empty());
  EXPECT_TRUE(scan(m, "着").empty());
}

}  // namespace
}  // namespace intake::triage
