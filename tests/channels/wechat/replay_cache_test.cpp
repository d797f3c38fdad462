#include "channels/wechat/replay_cache.hpp"

#include <gtest/gtest.h>

namespace intake::channels::wechat {
namespace {

using namespace std::chrono_literals;
using state = replay_cache::state;

TEST(replay_cache, answers_retries_with_the_first_answer_until_it_expires) {
  replay_cache cache(600s, 1000);
  const core::sys_time t0{1000s};
  EXPECT_EQ(cache.claim("msg:1", t0).seen, state::fresh);
  EXPECT_EQ(cache.claim("msg:1", t0 + 5s).seen, state::in_flight);
  cache.answered("msg:1", "受理编号：X");
  auto again = cache.claim("msg:1", t0 + 10s);
  EXPECT_EQ(again.seen, state::answered);
  EXPECT_EQ(again.answer, "受理编号：X");
  EXPECT_EQ(cache.claim("msg:1", t0 + 601s).seen, state::fresh);
}

TEST(replay_cache, a_failed_message_may_be_tried_again) {
  replay_cache cache(600s, 1000);
  const core::sys_time t0{1000s};
  EXPECT_EQ(cache.claim("msg:2", t0).seen, state::fresh);
  cache.release("msg:2");
  EXPECT_EQ(cache.claim("msg:2", t0 + 5s).seen, state::fresh);
}

TEST(replay_cache, stays_bounded) {
  replay_cache cache(600s, 10);
  const core::sys_time t0{1000s};
  for (int i = 0; i < 100; ++i) cache.claim("msg:" + std::to_string(i), t0);
  EXPECT_EQ(cache.claim("msg:0", t0).seen, state::fresh);  // long forgotten
}

}  // namespace
}  // namespace intake::channels::wechat
