#include "common/forward/publish_outcome.hpp"

#include <gtest/gtest.h>

namespace intake::forward {
namespace {

TEST(classify_puback, table) {
  const std::vector<std::pair<int, publish_outcome>> cases = {
      {0x00, publish_outcome::ok},    {0x10, publish_outcome::ok},   {0x80, publish_outcome::retry},
      {0x83, publish_outcome::retry}, {0x87, publish_outcome::drop}, {0x90, publish_outcome::drop},
      {0x91, publish_outcome::retry}, {0x95, publish_outcome::drop}, {0x97, publish_outcome::retry},
      {0x99, publish_outcome::drop},
  };
  for (const auto& [code, expected] : cases) {
    EXPECT_EQ(classify_puback(code), expected) << "reason code " << code;
  }
}

}  // namespace
}  // namespace intake::forward
