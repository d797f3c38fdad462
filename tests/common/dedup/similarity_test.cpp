#include "common/dedup/similarity.hpp"

#include <gtest/gtest.h>

namespace intake::dedup {
namespace {

struct similarity_case {
  std::string a, b;
  double min, max;
};

TEST(text_similarity, table) {
  const std::vector<similarity_case> cases = {
      {"小区门口路灯坏了一个星期", "小区门口路灯坏了一个星期", 1.0, 1.0},
      {"小区门口路灯坏了一个星期", "小区门口路灯坏了一个星期了", 0.85, 0.99},
      {"小区门口路灯坏了一个星期", "门口的路灯坏了", 0.2, 0.6},
      {"小区门口路灯坏了一个星期", "噪音扰民严重请处理", 0.0, 0.05},
      {"a", "a", 1.0, 1.0},
      {"a", "b", 0.0, 0.0},
      {"", "路灯", 0.0, 0.0},
  };
  for (const auto& c : cases) {
    const double s = text_similarity(c.a, c.b);
    EXPECT_GE(s, c.min) << c.a << " / " << c.b;
    EXPECT_LE(s, c.max) << c.a << " / " << c.b;
    EXPECT_DOUBLE_EQ(s, text_similarity(c.b, c.a)) << "symmetric";
  }
}

}  // namespace
}  // namespace intake::dedup
