#include "common/joiner/joiner.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>

namespace intake::joiner {
namespace {

using namespace std::chrono_literals;

// Records what the joiner hands on; answers each window with `answer` (ok by default).
class window_sink {
 public:
  void on_window(const window& w, flush_done done) {
    core::result<void> outcome;
    {
      std::lock_guard lock(mutex_);
      windows_.push_back(w);
      if (!answers_.empty()) {
        outcome = answers_.front();
        answers_.erase(answers_.begin());
      }
    }
    arrived_.notify_all();
    done(outcome);
  }
  void answer_next(core::result<void> outcome) {
    std::lock_guard lock(mutex_);
    answers_.push_back(std::move(outcome));
  }
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout, [&] { return windows_.size() >= count; });
  }
  std::vector<window> windows() {
    std::lock_guard lock(mutex_);
    return windows_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<window> windows_;
  std::vector<core::result<void>> answers_;
};

bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

class joiner_test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/joiner-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.path = dir_ + "/parts.db";
    options_.quiet_period = 300ms;
    options_.retry_delay = 100ms;
  }
  void TearDown() override {
    joiner_.reset();
    std::filesystem::remove_all(dir_);
  }

  void open(bool start = true) {
    joiner_.reset();
    joiner_ = std::make_unique<joiner>(
        options_,
        [this](const part&) -> core::result<std::string> {
          if (refuse_open_) return core::fail(core::errc::storage_unavailable, "disk full");
          return "T" + std::to_string(++tokens_);
        },
        [this](const window& w, flush_done done) { sink_.on_window(w, std::move(done)); });
    if (start) joiner_->start();
  }

  core::result<add_outcome> add(const std::string& key, const std::string& id,
                                const std::string& body, bool close_now = false) {
    std::promise<core::result<add_outcome>> p;
    auto f = p.get_future();
    joiner_->add(part{key, id, body, core::system_now()}, close_now,
                 [&p](core::result<add_outcome> r) { p.set_value(std::move(r)); });
    return f.get();
  }

  static std::vector<std::string> bodies(const window& w) {
    std::vector<std::string> out;
    for (const auto& p : w.parts) out.push_back(p.body);
    return out;
  }

  std::string dir_;
  joiner_options options_;
  std::atomic<int> tokens_{0};
  std::atomic<bool> refuse_open_{false};
  window_sink sink_;
  std::unique_ptr<joiner> joiner_;
};

TEST_F(joiner_test, parts_of_one_key_join_in_order_after_the_quiet_period) {
  open();
  auto a = add("alice", "1", "one");
  auto b = add("bob", "2", "other");
  auto c = add("alice", "3", "two");
  auto d = add("alice", "4", "three");
  ASSERT_TRUE(a && b && c && d);
  EXPECT_EQ(a->status, add_status::opened);
  EXPECT_EQ(c->status, add_status::appended);
  EXPECT_EQ(c->token, a->token);
  EXPECT_NE(b->token, a->token);
  EXPECT_TRUE(sink_.windows().empty()) << "nothing is handed on before the quiet period";

  ASSERT_TRUE(sink_.wait_for(2, 5s));
  for (const auto& w : sink_.windows()) {
    if (w.key == "alice") {
      EXPECT_EQ(w.token, a->token);
      EXPECT_EQ(bodies(w), (std::vector<std::string>{"one", "two", "three"}));
    } else {
      EXPECT_EQ(bodies(w), (std::vector<std::string>{"other"}));
    }
  }
  EXPECT_TRUE(eventually([&] {
    const auto s = joiner_->stats();
    return s.open_windows == 0 && s.flushing_windows == 0 && s.flushed_windows == 2;
  }));
}

TEST_F(joiner_test, a_repeated_part_id_answers_the_same_token_and_stores_nothing) {
  open();
  auto a = add("alice", "gw-1", "one");
  auto again = add("alice", "gw-1", "one");
  ASSERT_TRUE(a && again);
  EXPECT_EQ(again->status, add_status::repeated);
  EXPECT_EQ(again->token, a->token);
  ASSERT_TRUE(sink_.wait_for(1, 5s));
  EXPECT_EQ(sink_.windows()[0].parts.size(), 1u);
  // Still recognised after its window was handed on.
  auto late = add("alice", "gw-1", "one");
  ASSERT_TRUE(late);
  EXPECT_EQ(late->status, add_status::repeated);
  EXPECT_EQ(late->token, a->token);
}

TEST_F(joiner_test, parts_survive_a_restart_and_are_handed_on_after_it) {
  options_.quiet_period = 60s;
  open();
  ASSERT_TRUE(add("alice", "1", "one"));
  ASSERT_TRUE(add("alice", "2", "two"));
  ASSERT_TRUE(add("bob", "3", "other"));
  joiner_.reset();  // the process dies mid-window
  EXPECT_TRUE(sink_.windows().empty());

  options_.quiet_period = 100ms;
  open();
  ASSERT_TRUE(sink_.wait_for(2, 5s));
  auto windows = sink_.windows();
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(bodies(windows[0]), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(windows[0].token, "T1");
  EXPECT_EQ(bodies(windows[1]), (std::vector<std::string>{"other"}));

  // Handed on and acknowledged: gone from the file.
  ASSERT_TRUE(eventually([&] { return joiner_->stats().flushed_windows == 2; }));
  joiner_.reset();
  window_sink fresh;
  auto j = std::make_unique<joiner>(
      options_, [](const part&) -> core::result<std::string> { return std::string("X"); },
      [&fresh](const window& w, flush_done done) { fresh.on_window(w, std::move(done)); });
  j->start();
  EXPECT_FALSE(fresh.wait_for(1, 500ms));
}

TEST_F(joiner_test, a_window_not_yet_acknowledged_is_handed_on_again_after_a_restart) {
  open(/*start=*/true);
  sink_.answer_next(core::fail(core::errc::shutting_down, "stopping"));
  ASSERT_TRUE(add("alice", "1", "one", /*close_now=*/true));
  ASSERT_TRUE(sink_.wait_for(1, 5s));
  joiner_.reset();
  open();
  ASSERT_TRUE(sink_.wait_for(2, 5s));
  EXPECT_EQ(sink_.windows()[1].token, sink_.windows()[0].token);
}

TEST_F(joiner_test, close_now_hands_the_window_on_at_once) {
  options_.quiet_period = 60s;
  open();
  ASSERT_TRUE(add("alice", "1", "one"));
  ASSERT_TRUE(add("alice", "2", "fire!", /*close_now=*/true));
  ASSERT_TRUE(sink_.wait_for(1, 2s));
  EXPECT_EQ(bodies(sink_.windows()[0]), (std::vector<std::string>{"one", "fire!"}));
  auto next = add("alice", "3", "after");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, add_status::opened) << "the next part starts a new window";
}

TEST_F(joiner_test, a_full_window_is_handed_on_and_the_part_opens_the_next) {
  options_.quiet_period = 60s;
  options_.max_parts = 2;
  open();
  ASSERT_TRUE(add("alice", "1", "a"));
  ASSERT_TRUE(add("alice", "2", "b"));
  auto third = add("alice", "3", "c");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, add_status::opened);
  ASSERT_TRUE(sink_.wait_for(1, 2s));
  EXPECT_EQ(bodies(sink_.windows()[0]), (std::vector<std::string>{"a", "b"}));
}

TEST_F(joiner_test, byte_limit_closes_a_window_too) {
  options_.quiet_period = 60s;
  options_.max_bytes = 5;
  open();
  ASSERT_TRUE(add("alice", "1", "abc"));
  auto second = add("alice", "2", "def");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, add_status::opened);
  ASSERT_TRUE(sink_.wait_for(1, 2s));
}

TEST_F(joiner_test, a_retryable_failure_is_retried_and_a_final_one_kept_aside) {
  open();
  sink_.answer_next(core::fail(core::errc::outbox_full, "full"));
  ASSERT_TRUE(add("alice", "1", "one", true));
  ASSERT_TRUE(sink_.wait_for(2, 5s)) << "retried after retry_delay";
  EXPECT_EQ(sink_.windows()[1].token, sink_.windows()[0].token);

  sink_.answer_next(core::fail(core::errc::invalid_field, "refused"));
  ASSERT_TRUE(add("bob", "2", "x", true));
  ASSERT_TRUE(sink_.wait_for(3, 5s));
  EXPECT_FALSE(sink_.wait_for(4, 500ms)) << "a final refusal is not retried";
  EXPECT_TRUE(eventually([&] { return joiner_->stats().failed_windows == 1; }));
}

TEST_F(joiner_test, a_refused_token_refuses_the_part_and_stores_nothing) {
  open();
  refuse_open_ = true;
  auto r = add("alice", "1", "one");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::errc::storage_unavailable);
  refuse_open_ = false;
  auto again = add("alice", "1", "one");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, add_status::opened) << "the gateway's retry is taken";
}

TEST_F(joiner_test, parts_are_refused_when_not_running) {
  open(/*start=*/false);
  auto r = add("alice", "1", "one");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::errc::shutting_down);
}

}  // namespace
}  // namespace intake::joiner
