#include "common/core/utf8.hpp"

#include <gtest/gtest.h>

namespace intake::core {
namespace {

TEST(append_utf8, encodes_every_length_and_replaces_non_scalars) {
  struct row {
    char32_t cp;
    std::string want;
  };
  const row rows[] = {
      {U'A', "A"},
      {0x00E9, "\xC3\xA9"},
      {0x4E95, "\xE4\xBA\x95"},       // 井
      {0x1F600, "\xF0\x9F\x98\x80"},  // 😀
      {0xD800, "\xEF\xBF\xBD"},       // a lone surrogate
      {0x110000, "\xEF\xBF\xBD"},     // beyond Unicode
  };
  for (const auto& r : rows) {
    std::string out = "x";
    append_utf8(out, r.cp);
    EXPECT_EQ(out, "x" + r.want) << static_cast<unsigned>(r.cp);
  }
}

}  // namespace
}  // namespace intake::core
