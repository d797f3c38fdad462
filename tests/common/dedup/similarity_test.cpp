#include "common/dedup/similarity.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/normalize/text.hpp"

namespace intake::dedup {
namespace {

std::string fold(std::string_view text) {
  return normalize::fold_for_matching(*normalize::normalize_text(text));
}

struct similarity_case {
  std::string name, a, b;
  double min, max;
};

// Characters drawn from 2,000 common CJK code points: a stand-in for a long letter whose
// bigrams are nearly all different, as in real prose.
std::string synthetic(std::uint32_t seed, int chars) {
  std::string out;
  std::uint32_t x = seed;
  for (int i = 0; i < chars; ++i) {
    x = x * 1664525u + 1013904223u;
    const char32_t cp = 0x4E00 + (x >> 8) % 2000;
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return out;
}

TEST(text_similarity, table) {
  const std::string letter = synthetic(1, 2000);
  const std::string half = synthetic(1, 1000);
  const std::vector<similarity_case> cases = {
      {"identical", "小区门口路灯坏了一个星期", "小区门口路灯坏了一个星期", 1.0, 1.0},
      {"one character added", "小区门口路灯坏了一个星期", "小区门口路灯坏了一个星期了", 0.9, 1.0},
      {"short, words added (containment)", "路灯坏了", "路灯坏了一个星期", 1.0, 1.0},
      {"short, words added in the middle", "xx小区停水三天了请尽快处理",
       "xx小区已经停水三天了请尽快处理", 0.8, 1.0},
      {"overlapping, not contained", "小区门口路灯坏了一个星期", "门口的路灯坏了", 0.2, 0.6},
      {"unrelated", "小区门口路灯坏了一个星期", "噪音扰民严重请处理", 0.0, 0.05},
      {"same place, different problem", "小区3号楼停水了请尽快恢复", "小区3号楼电梯坏了请尽快修理",
       0.2, 0.45},
      {"tiny text inside a long one", "停水", "小区停水两天了没人管请尽快处理", 0.0, 0.2},
      {"letter of 2,000 characters, a phrase inserted", letter,
       half + "物业不管" + letter.substr(half.size()), 0.99, 1.0},
      {"letter sent again with 600 characters appended", letter, letter + synthetic(2, 600), 0.99,
       1.0},
      {"two different letters", letter, synthetic(3, 2000), 0.0, 0.05},
      {"letter beside half of itself (too small to count as contained)", letter, synthetic(1, 700),
       0.3, 0.4},
      {"reordered sentences", "楼下烧烤店油烟很大。晚上十二点还很吵。请管一管。",
       "晚上十二点还很吵。请管一管。楼下烧烤店油烟很大。", 0.8, 1.0},
      {"one character", "a", "a", 1.0, 1.0},
      {"different characters", "a", "b", 0.0, 0.0},
      {"empty", "", "路灯", 0.0, 0.0},
      {"both empty never match", "", "", 0.0, 0.0},
  };
  for (const auto& c : cases) {
    const auto a = fold(c.a.empty() ? " " : c.a), b = fold(c.b.empty() ? " " : c.b);
    const double s = text_similarity(a, b);
    EXPECT_GE(s, c.min) << c.name;
    EXPECT_LE(s, c.max) << c.name;
    EXPECT_DOUBLE_EQ(s, text_similarity(b, a)) << c.name << ": symmetric";
  }
}

TEST(text_similarity, traditional_and_simplified_fold_to_one_text) {
  ASSERT_TRUE(normalize::script_folding_available())
      << "OpenCC t2s data could not be loaded (scripts/setup installs libopencc)";
  EXPECT_DOUBLE_EQ(text_similarity(fold("小區門口路燈壞了一個星期沒人修"),
                                   fold("小区门口路灯坏了一个星期没人修")),
                   1.0);
}

TEST(compare, reports_jaccard_and_containment) {
  const auto s = compare(make_shingles("路灯坏了"), make_shingles("路灯坏了一个星期"));
  EXPECT_DOUBLE_EQ(s.jaccard, 3.0 / 7.0);
  EXPECT_DOUBLE_EQ(s.containment, 1.0);
  EXPECT_DOUBLE_EQ(s.score, 1.0);
}

}  // namespace
}  // namespace intake::dedup
