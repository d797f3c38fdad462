#include "common/model/tracking_number.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace intake::model {
namespace {

constexpr std::string_view alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

bool is_canonical_shape(const std::string& s) {
  if (s.size() != 16) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool hyphen_slot = i == 4 || i == 9 || i == 14;
    if (hyphen_slot != (s[i] == '-')) return false;
    if (!hyphen_slot && alphabet.find(s[i]) == std::string_view::npos) return false;
  }
  return true;
}

std::vector<tracking_parts> sample_parts() {
  std::vector<tracking_parts> parts = {
      {0, 0, 0},
      {max_tracking_region, 255, 0xFFFFFFFF},
      {max_tracking_region, 0, 0},
      {0, 255, 0},
      {0, 0, 0xFFFFFFFF},
      {0, 0, 1},
      {110000, 1, 1},
      {440305, 7, 123456789},
      {654326, 128, 0x80000000},
  };
  std::mt19937_64 rng(12345);
  std::uniform_int_distribution<std::uint32_t> region(0, max_tracking_region);
  std::uniform_int_distribution<std::uint32_t> node(0, 255);
  std::uniform_int_distribution<std::uint32_t> serial;
  for (int i = 0; i < 2000; ++i) {
    parts.push_back({region(rng), static_cast<std::uint8_t>(node(rng)), serial(rng)});
  }
  return parts;
}

TEST(tracking_number, round_trips) {
  for (const auto& p : sample_parts()) {
    const std::string s = make_tracking_number(p.region, p.node, p.serial);
    ASSERT_TRUE(is_canonical_shape(s)) << s;
    ASSERT_LE(s.size(), 20u);
    const auto parsed = parse_tracking_number(s);
    ASSERT_TRUE(parsed.has_value()) << s << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, p) << s;
    EXPECT_EQ(canonical_tracking_number(s).value_or(""), s);
  }
}

struct known_case {
  tracking_parts parts;
  std::string want;
};

// Fixed vectors: a change here breaks numbers already handed to citizens.
TEST(tracking_number, known_vectors) {
  const std::vector<known_case> cases = {
      {{0, 0, 0}, "0000-0000-0000-0"},
      {{999999, 255, 0xFFFFFFFF}, "YGHZ-ZZZZ-ZZZZ-S"},
      {{440305, 7, 123456789}, "DDZH-0W3N-QK8N-Z"},
      {{110000, 1, 1}, "3BDG-0400-0001-F"},
      {{330106, 12, 42}, "A2BT-1G00-001A-V"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(make_tracking_number(c.parts.region, c.parts.node, c.parts.serial), c.want);
  }
}

struct accept_case {
  std::string in;
  std::string want;
};

TEST(tracking_number, accepts_typed_variants) {
  const std::vector<accept_case> cases = {
      {"3BDG-0400-0001-F", "3BDG-0400-0001-F"},  {"3bdg-0400-0001-f", "3BDG-0400-0001-F"},
      {"3BDG04000001F", "3BDG-0400-0001-F"},     {"3BDG 0400 0001 F", "3BDG-0400-0001-F"},
      {" 3BDG-0400 0001F ", "3BDG-0400-0001-F"}, {"3BDG-O4OO-OOOI-F", "3BDG-0400-0001-F"},
      {"3bdg-o4oo-ooo1-f", "3BDG-0400-0001-F"},  {"3BDG-0400-000L-F", "3BDG-0400-0001-F"},
      {"3bdg-0400-000l-f", "3BDG-0400-0001-F"},  {"3bdg-0400-000i-f", "3BDG-0400-0001-F"},
      {"a2bt-1g00-001a-v", "A2BT-1G00-001A-V"},
  };
  for (const auto& c : cases) {
    const auto got = canonical_tracking_number(c.in);
    ASSERT_TRUE(got.has_value()) << c.in << ": " << got.error().message;
    EXPECT_EQ(*got, c.want) << c.in;
  }
}

struct reject_case {
  std::string in;
  std::string message;
};

TEST(tracking_number, rejects_malformed) {
  const std::string out_of_range = make_tracking_number(1000000, 0, 0);
  const std::vector<reject_case> cases = {
      {"", "tracking number has the wrong length: expected 12 symbols and a check character"},
      {"3BDG-0400-0001",
       "tracking number has the wrong length: expected 12 symbols and a check character"},
      {"3BDG-0400-0001-FF",
       "tracking number has the wrong length: expected 12 symbols and a check character"},
      {"3BDG-0400-0001-U", "tracking number contains a character that is not allowed"},
      {"3BDG-0400-0001-*", "tracking number contains a character that is not allowed"},
      {"3BDG_0400_0001_F", "tracking number contains a character that is not allowed"},
      {"３BDG-0400-0001-F", "tracking number contains a character that is not allowed"},
      {"3BDG-0400-0001-G", "tracking number check character does not match"},
      {std::string(60, '-') + "3BDG-0400-0001-F", "tracking number is too long"},
      {out_of_range, "tracking number region is out of range"},
  };
  for (const auto& c : cases) {
    const auto got = parse_tracking_number(c.in);
    ASSERT_FALSE(got.has_value()) << c.in;
    EXPECT_EQ(got.error().code, core::errc::invalid_field) << c.in;
    EXPECT_EQ(got.error().message, c.message) << c.in;
    EXPECT_FALSE(canonical_tracking_number(c.in).has_value()) << c.in;
  }
}

// Symbol positions in the canonical form, skipping hyphens.
std::vector<std::size_t> symbol_positions(const std::string& s) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '-') out.push_back(i);
  }
  return out;
}

TEST(tracking_number, every_single_substitution_is_rejected) {
  const auto parts = sample_parts();
  for (std::size_t k = 0; k < 200; ++k) {
    const auto& p = parts[k];
    const std::string valid = make_tracking_number(p.region, p.node, p.serial);
    for (const std::size_t pos : symbol_positions(valid)) {
      for (const char replacement : alphabet) {
        if (replacement == valid[pos]) continue;
        std::string typo = valid;
        typo[pos] = replacement;
        const auto got = parse_tracking_number(typo);
        ASSERT_FALSE(got.has_value()) << valid << " -> " << typo;
        EXPECT_EQ(got.error().message, "tracking number check character does not match");
      }
    }
  }
}

TEST(tracking_number, adjacent_transpositions_are_mostly_rejected) {
  std::size_t tried = 0;
  std::size_t undetected = 0;
  for (const auto& p : sample_parts()) {
    const std::string valid = make_tracking_number(p.region, p.node, p.serial);
    const auto pos = symbol_positions(valid);
    for (std::size_t i = 0; i + 1 < pos.size(); ++i) {
      std::string swapped = valid;
      std::swap(swapped[pos[i]], swapped[pos[i + 1]]);
      if (swapped == valid) continue;
      ++tried;
      if (parse_tracking_number(swapped).has_value()) {
        ++undetected;
        // Luhn mod 32 misses exactly one pair, as Luhn mod 10 misses 09 <-> 90.
        const std::string pair = {valid[pos[i]], valid[pos[i + 1]]};
        EXPECT_TRUE(pair == "0Z" || pair == "Z0") << valid << " -> " << swapped;
      }
    }
  }
  ASSERT_GT(tried, 10000u);
  EXPECT_LT(static_cast<double>(undetected) / static_cast<double>(tried), 0.01);
}

}  // namespace
}  // namespace intake::model
