#include "common/core/json_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace intake::core {
namespace {

TEST(json_quote, table) {
  struct row {
    std::string in;
    std::string out;
  };
  const std::vector<row> rows = {
      {"", R"("")"},
      {"plain", R"("plain")"},
      {"a\"b\\c", R"("a\"b\\c")"},
      {"line\nbreak\ttab\r", R"("line\nbreak\ttab\r")"},
      {std::string("nul\0x", 5), R"("nul\u0000x")"},
      {"\x1f\x7f", R"("\u001f\u007f")"},
      {"路灯不亮", R"("路灯不亮")"},
  };
  for (const auto& r : rows) EXPECT_EQ(json_quote(r.in), r.out) << r.in;
}

}  // namespace
}  // namespace intake::core
