#include "channels/wechat_api/access_token_cache.hpp"

#include <gtest/gtest.h>

namespace intake::channels::wechat_api {
namespace {

using namespace std::chrono_literals;

struct fixture {
  core::sys_time now{1000000s};
  int fetches = 0;
  std::vector<bool> forced;
  access_token_cache cache{[this](bool force) -> core::result<access_token> {
                             ++fetches;
                             forced.push_back(force);
                             return access_token{"t" + std::to_string(fetches), 7200s};
                           },
                           [this] { return now; }, 300s};
};

TEST(access_token_cache, keeps_a_token_until_shortly_before_it_expires) {
  fixture f;
  struct step {
    std::chrono::seconds advance;
    std::string expected;
    int fetches;
  };
  const step steps[] = {
      {0s, "t1", 1},    {3600s, "t1", 1},  // 1 h in: cached
      {3299s, "t1", 1},                    // 6899 s: still more than the 300 s margin left
      {1s, "t2", 2},                       // 6900 s: within the margin, fetched again
      {6899s, "t2", 2}, {1s, "t3", 3},
  };
  for (const auto& s : steps) {
    f.now += s.advance;
    auto token = f.cache.get();
    ASSERT_TRUE(token);
    EXPECT_EQ(*token, s.expected);
    EXPECT_EQ(f.fetches, s.fetches);
  }
}

TEST(access_token_cache, refetches_with_force_after_wechat_refused_the_token) {
  fixture f;
  EXPECT_EQ(*f.cache.get(), "t1");
  f.cache.invalidate("some older token");  // another caller already replaced it: ignored
  EXPECT_EQ(*f.cache.get(), "t1");
  f.cache.invalidate("t1");
  EXPECT_EQ(*f.cache.get(), "t2");
  ASSERT_EQ(f.forced.size(), 2u);
  EXPECT_FALSE(f.forced[0]);
  EXPECT_TRUE(f.forced[1]);
  EXPECT_EQ(*f.cache.get(), "t2");
}

TEST(access_token_cache, forced_refreshes_are_at_least_30_s_apart) {
  // WeChat rejecting every token: each call invalidates the one it got.
  fixture f;
  struct step {
    std::chrono::seconds advance;
    bool forced;
  };
  const step steps[] = {
      {0s, true},    // the first refusal: forced
      {1s, false},   // 1 s later: a plain fetch, no force_refresh spent
      {28s, false},  // 29 s after the forced one: still plain
      {1s, true},    // 30 s: forced again
      {10s, false},
  };
  ASSERT_EQ(*f.cache.get(), "t1");
  for (const auto& s : steps) {
    f.now += s.advance;
    f.cache.invalidate("t" + std::to_string(f.fetches));
    ASSERT_TRUE(f.cache.get());
    EXPECT_EQ(f.forced.back(), s.forced) << "after " << s.advance.count() << " s";
  }
  EXPECT_EQ(f.fetches, 6);
}

TEST(access_token_cache, a_failed_fetch_is_reported_and_retried_next_time) {
  core::sys_time now{1000s};
  int calls = 0;
  access_token_cache cache(
      [&](bool) -> core::result<access_token> {
        if (++calls == 1) return core::fail(core::errc::rate_limited, "45011");
        return access_token{"ok", 7200s};
      },
      [&] { return now; }, 300s);
  auto first = cache.get();
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, core::errc::rate_limited);
  EXPECT_EQ(*cache.get(), "ok");
}

}  // namespace
}  // namespace intake::channels::wechat_api
