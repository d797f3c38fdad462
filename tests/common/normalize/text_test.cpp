#include "common/normalize/text.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "common/dedup/pair_evaluation.hpp"

namespace intake::normalize {
namespace {

using namespace std::string_literals;  // "a\0b"s keeps the NUL

struct normalize_case {
  std::string name;
  std::string in;
  std::string want;
};

TEST(normalize_text, folds_and_converts) {
  const std::vector<normalize_case> cases = {
      {"empty", "", ""},
      {"plain ascii", "hello", "hello"},
      {"trim ascii spaces", "  hello  ", "hello"},
      {"scraped tabs and newlines", "\n\t\t\t\t\t\n\t\t\t\t\tA3区\n\t\t\t\t\t\n", "A3区"},
      {"crlf between words", "a\r\nb", "a b"},
      {"ideographic spaces", "a\u3000\u3000b", "a b"},
      {"no-break space", "a\u00A0b", "a b"},
      {"em space", "a\u2003b", "a b"},
      {"ogham space mark is Zs but survives NFKC", "a\u1680b", "a b"},
      {"line separator", "a\u2028b", "a b"},
      {"zero width space", "a\u200Bb", "a b"},
      {"zero width joiner", "a\u200Db", "a b"},
      {"leading byte order mark", "\uFEFFtext", "text"},
      {"C1 next line", "a\u0085b", "a b"},
      {"delete",
       "a\x7F"
       "b",
       "a b"},
      {"nul", "a\0b"s, "a b"},
      {"mixed run", "a \t\u3000\u00A0\u200B b", "a b"},
      {"full-width digits", "１２３", "123"},
      {"full-width letters", "ＡＢＣａｂｃ", "ABCabc"},
      {"full-width punctuation", "你好，世界！", "你好,世界!"},
      {"full-width parentheses", "（１）", "(1)"},
      {"circled numbers", "①②⑩", "1210"},
      {"parenthesized number", "⑴", "(1)"},
      {"square metre sign", "100㎡", "100m2"},
      {"half-width katakana", "ｶﾞ", "ガ"},
      {"combining accent composes", "e\u0301", "\u00E9"},
      {"cjk compatibility ideograph", "\uF900", "\u8C48"},
      {"traditional chars are kept", "影響交通", "影響交通"},
      {"double space inside", "Ａ３区  交通", "A3区 交通"},
  };
  for (const auto& c : cases) {
    const auto got = normalize_text(c.in);
    ASSERT_TRUE(got.has_value()) << c.name;
    EXPECT_EQ(*got, c.want) << c.name;
  }
}

TEST(normalize_text, rejects_invalid_utf8) {
  const std::vector<normalize_case> cases = {
      {"byte ff", "\xff", ""},
      {"overlong slash", "\xc0\xaf", ""},
      {"overlong three bytes", "\xe0\x80\xaf", ""},
      {"lone high surrogate", "\xed\xa0\x80", ""},
      {"lone low surrogate", "\xed\xbf\xbf", ""},
      {"above U+10FFFF", "\xf4\x90\x80\x80", ""},
      {"lone continuation byte", "\x80", ""},
      {"truncated sequence", "\xe4\xbd", ""},
      {"valid text then bad byte", "13800138000 \xff", ""},
  };
  for (const auto& c : cases) {
    const auto got = normalize_text(c.in);
    ASSERT_FALSE(got.has_value()) << c.name;
    EXPECT_EQ(got.error().code, core::errc::invalid_utf8) << c.name;
    EXPECT_EQ(got.error().message.find("138"), std::string::npos) << c.name << ": echoes input";
  }
}

struct count_case {
  std::string in;
  std::size_t want;
};

TEST(count_chars, counts_code_points) {
  const std::vector<count_case> cases = {
      {"", 0}, {"abc", 3}, {"你好", 2}, {"\U0001F600", 1}, {"\u00E9", 1}, {"A3区 交通", 6},
  };
  for (const auto& c : cases) EXPECT_EQ(count_chars(c.in), c.want) << c.in;
}

TEST(fold_for_matching, folds_script_case_spaces_and_punctuation) {
  ASSERT_TRUE(script_folding_available()) << "OpenCC t2s.json could not be loaded";
  const std::vector<normalize_case> cases = {
      {"empty", "", ""},
      {"brief example", "影響 交通，請處理!", "影响交通请处理"},
      {"traditional phrase", "價格 100元", "价格100元"},
      {"simplified stays", "影响交通请处理", "影响交通请处理"},
      {"ascii lower-cased", "Hello World", "helloworld"},
      {"ascii symbols", "$100+5=105", "1005105"},
      {"cjk brackets", "《标题》【通知】", "标题通知"},
      {"phone separators", "電話：138-0013-8000", "电话13800138000"},
      {"emoji is a symbol", "\U0001F600好", "好"},
      {"zero width and soft hyphen", "a\u200Bb\u00ADc", "abc"},
      {"ideographic space", "交\u3000通", "交通"},
  };
  for (const auto& c : cases) EXPECT_EQ(fold_for_matching(c.in), c.want) << c.name;
}

TEST(fold_for_matching, same_key_for_variant_spellings) {
  const auto a = normalize_text("影響交通，請盡快處理！");
  const auto b = normalize_text("影响交通 请尽快处理!");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(fold_for_matching(*a), fold_for_matching(*b));
}

TEST(read_csv, parses_rfc4180) {
  const std::string path = testing::TempDir() + "read_csv_test.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "a,b,c\r\n1,\"x, \"\"y\"\"\nz\",\r\n\"\",2,3";
  }
  const auto rows = dedup::read_csv_file(path);
  ASSERT_TRUE(rows);
  const std::vector<std::vector<std::string>> want = {
      {"a", "b", "c"}, {"1", "x, \"y\"\nz", ""}, {"", "2", "3"}};
  EXPECT_EQ(*rows, want);
}

bool contains(const std::string& s, std::string_view what) {
  return s.find(what) != std::string::npos;
}

TEST(normalize_text, corpus_details_are_clean_and_idempotent) {
  const std::string path =
      std::string(INTAKE_SHARED_DATA_DIR) + "/complaints/tipdm2020c_attach2_SAMPLE_labelled.csv";
  const auto rows = dedup::read_csv_file(path);
  ASSERT_TRUE(rows) << "cannot read " << path;
  ASSERT_EQ(rows->size(), 496u) << "header + 495 messages";
  constexpr std::size_t id_column = 0;
  constexpr std::size_t subject_column = 2;
  constexpr std::size_t detail_column = 4;
  ASSERT_EQ(rows->front().at(detail_column), "留言详情");

  // The corpus must keep exercising what it is here for.
  std::size_t with_tab = 0, with_ideographic_space = 0, with_nbsp = 0, with_full_width = 0;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    ASSERT_EQ(row.size(), 6u) << "row " << r;
    const std::string& id = row[id_column];
    with_tab += contains(row[detail_column], "\t");
    with_ideographic_space += contains(row[detail_column], "\u3000");
    with_nbsp += contains(row[detail_column], "\u00A0");
    with_full_width += contains(row[detail_column], "，");

    for (const std::size_t column : {subject_column, detail_column}) {
      const auto once = normalize_text(row[column]);
      ASSERT_TRUE(once.has_value()) << "id " << id << " column " << column;
      const std::string& s = *once;
      EXPECT_FALSE(contains(s, "\t") || contains(s, "\n") || contains(s, "\r")) << "id " << id;
      EXPECT_FALSE(contains(s, "\u3000") || contains(s, "\u00A0")) << "id " << id;
      EXPECT_FALSE(contains(s, "  ")) << "id " << id;
      EXPECT_FALSE(!s.empty() && (s.front() == ' ' || s.back() == ' ')) << "id " << id;
      EXPECT_FALSE(contains(s, "，") || contains(s, "①")) << "id " << id;
      if (column == detail_column) {
        EXPECT_FALSE(s.empty()) << "id " << id;
      }

      const auto twice = normalize_text(s);
      ASSERT_TRUE(twice.has_value()) << "id " << id;
      EXPECT_EQ(*twice, s) << "id " << id << ": not idempotent";

      const std::string key = fold_for_matching(s);
      EXPECT_FALSE(contains(key, " ") || contains(key, ",")) << "id " << id;
      EXPECT_EQ(fold_for_matching(key), key) << "id " << id << ": fold not idempotent";
    }
  }
  EXPECT_GT(with_tab, 0u);
  EXPECT_GT(with_ideographic_space, 0u);
  EXPECT_GT(with_nbsp, 0u);
  EXPECT_GT(with_full_width, 0u);
}

}  // namespace
}  // namespace intake::normalize
