#include "common/outbox/outbox.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>

namespace intake::outbox {
namespace {

// A job that stores one event, and reports its outcome.
class event_job final : public write_job {
 public:
  event_job(std::string id, std::promise<core::result<void>> done, int priority = 0,
            std::size_t payload_size = 16)
      : id_(std::move(id)), done_(std::move(done)), priority_(priority), size_(payload_size) {}
  core::result<void> apply(write_txn& txn) override {
    new_event e;
    e.event_id = id_;
    e.topic = "t/" + id_;
    e.priority = priority_;
    e.payload = std::string(size_, 'x');
    e.created_ms = 1000;
    return txn.insert_event(e);
  }
  void finish(core::result<void> outcome) override { done_.set_value(outcome); }

 private:
  std::string id_;
  std::promise<core::result<void>> done_;
  int priority_;
  std::size_t size_;
};

class outbox_test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/outbox-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.path = dir_ + "/outbox.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static core::result<void> put(outbox& box, const std::string& id, int priority = 0,
                                std::size_t size = 16) {
    std::promise<core::result<void>> p;
    auto f = p.get_future();
    box.submit(std::make_unique<event_job>(id, std::move(p), priority, size));
    return f.get();
  }

  std::string dir_;
  outbox_options options_;
};

TEST_F(outbox_test, committed_events_are_fetched_in_order_and_acknowledged_ones_vanish) {
  outbox box(options_);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(put(box, "e" + std::to_string(i)));
  auto pending = box.fetch(0, 0, 10);
  ASSERT_EQ(pending.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(pending[i].event_id, "e" + std::to_string(i));
  EXPECT_EQ(box.stats().depth, 5);
  box.acknowledge(pending[0].seq);
  // Skipped at once, before the delete is committed.
  EXPECT_EQ(box.fetch(0, 0, 10).size(), 4u);
  EXPECT_EQ(box.fetch(0, pending[2].seq, 10).size(), 2u);
  ASSERT_TRUE(put(box, "after"));  // a commit carries the delete
  EXPECT_EQ(box.stats().depth, 5);
}

TEST_F(outbox_test, seq_is_never_reused_after_the_queue_empties) {
  // The forwarder's cursor and the acknowledged set key on seq: a reused seq would hide an event.
  outbox box(options_);
  ASSERT_TRUE(put(box, "first"));
  const auto first = box.fetch(0, 0, 1)[0].seq;
  box.acknowledge(first);
  ASSERT_TRUE(put(box, "second"));  // commits the delete and the new event together
  ASSERT_TRUE(put(box, "third"));
  auto pending = box.fetch(0, first, 10);
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_GT(pending[0].seq, first);
  EXPECT_EQ(pending[0].event_id, "second");
}

TEST_F(outbox_test, priorities_are_fetched_separately) {
  outbox box(options_);
  ASSERT_TRUE(put(box, "normal", 0));
  ASSERT_TRUE(put(box, "urgent", 1));
  auto urgent = box.fetch(1, 0, 10);
  ASSERT_EQ(urgent.size(), 1u);
  EXPECT_EQ(urgent[0].event_id, "urgent");
  EXPECT_EQ(box.fetch(0, 0, 10).size(), 1u);
}

TEST_F(outbox_test, reopening_recovers_everything_not_acknowledged) {
  std::int64_t acked = 0;
  {
    outbox box(options_);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(put(box, "e" + std::to_string(i)));
    acked = box.fetch(0, 0, 1)[0].seq;
    box.acknowledge(acked);
  }  // stop() commits the acknowledgement
  outbox box(options_);
  auto pending = box.fetch(0, 0, 100);
  EXPECT_EQ(pending.size(), 9u);
  EXPECT_EQ(box.stats().depth, 9);
  for (const auto& e : pending) EXPECT_NE(e.seq, acked);
}

TEST_F(outbox_test, survives_a_crash_after_commit) {
  // The child commits and exits at once, as kill -9 would leave it: no destructor, no
  // checkpoint. Everything its jobs were told is durable must be there.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto* box = new outbox(options_);
    int ok = 0;
    for (int i = 0; i < 200; ++i) ok += put(*box, "c" + std::to_string(i)) ? 1 : 0;
    ::_exit(ok == 200 ? 0 : 1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  outbox box(options_);
  EXPECT_EQ(box.fetch(0, 0, 1000).size(), 200u);
}

TEST_F(outbox_test, count_cap_refuses_with_outbox_full_and_keeps_the_rest) {
  options_.max_events = 3;
  outbox box(options_);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(put(box, "e" + std::to_string(i)));
  auto refused = put(box, "e3");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::errc::outbox_full);
  EXPECT_EQ(box.stats().depth, 3);
  box.acknowledge(box.fetch(0, 0, 1)[0].seq);
  // The acknowledgement commits with the next batch and frees room for it.
  ASSERT_TRUE(put(box, "e4"));
}

TEST_F(outbox_test, byte_cap_refuses_with_outbox_full) {
  options_.max_bytes = 1000;
  outbox box(options_);
  ASSERT_TRUE(put(box, "small", 0, 600));
  auto refused = put(box, "big", 0, 600);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::errc::outbox_full);
}

TEST_F(outbox_test, many_submissions_share_few_commits) {
  outbox box(options_);
  constexpr int n = 2000;
  std::vector<std::future<core::result<void>>> futures;
  futures.reserve(n);
  for (int i = 0; i < n; ++i) {
    std::promise<core::result<void>> p;
    futures.push_back(p.get_future());
    box.submit(std::make_unique<event_job>("g" + std::to_string(i), std::move(p)));
  }
  for (auto& f : futures) ASSERT_TRUE(f.get());
  const auto s = box.stats();
  EXPECT_EQ(s.committed_jobs, static_cast<std::uint64_t>(n));
  EXPECT_LT(s.commits, static_cast<std::uint64_t>(n / 4)) << "group commit did not group";
}

TEST_F(outbox_test, dead_letters_are_kept_aside_and_replayed) {
  outbox box(options_);
  ASSERT_TRUE(put(box, "refused"));
  const auto seq = box.fetch(0, 0, 1)[0].seq;
  box.dead_letter(seq, "not authorized");
  ASSERT_TRUE(put(box, "flush"));
  EXPECT_EQ(box.stats().dead_letters, 1);
  EXPECT_EQ(box.fetch(0, 0, 10).size(), 1u);  // only "flush"
  auto replayed = box.replay_dead_letters("");
  ASSERT_TRUE(replayed);
  EXPECT_EQ(*replayed, 1);
  EXPECT_EQ(box.fetch(0, 0, 10).size(), 2u);
}

TEST_F(outbox_test, jobs_after_stop_finish_with_shutting_down) {
  outbox box(options_);
  box.stop();
  auto r = put(box, "late");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::errc::shutting_down);
}

}  // namespace
}  // namespace intake::outbox
