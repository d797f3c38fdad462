#include "common/http/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace intake::http {
namespace {

using namespace std::chrono_literals;

TEST(rate_limiter, burst_then_refill_per_address) {
  rate_limiter limiter(2.0, 3.0);
  const auto t0 = rate_limiter::clock::now();
  EXPECT_TRUE(limiter.allow("10.0.0.1", t0));
  EXPECT_TRUE(limiter.allow("10.0.0.1", t0));
  EXPECT_TRUE(limiter.allow("10.0.0.1", t0));
  EXPECT_FALSE(limiter.allow("10.0.0.1", t0));
  EXPECT_TRUE(limiter.allow("10.0.0.2", t0)) << "another address has its own bucket";
  EXPECT_TRUE(limiter.allow("10.0.0.1", t0 + 500ms)) << "one token after half a second";
  EXPECT_FALSE(limiter.allow("10.0.0.1", t0 + 500ms));
}

TEST(rate_limiter, memory_stays_bounded_under_many_addresses) {
  rate_limiter limiter(1.0, 1.0, 100);
  const auto t0 = rate_limiter::clock::now();
  for (int i = 0; i < 10000; ++i) limiter.allow("a" + std::to_string(i), t0);
  EXPECT_TRUE(limiter.allow("fresh", t0));
}

}  // namespace
}  // namespace intake::http
