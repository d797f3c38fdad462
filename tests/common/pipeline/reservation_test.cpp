// A tracking number reserved before its submission is complete (a multi-part SMS): committed at
// once, never handed out again, and taken by the submission that names it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>

#include "common/model/tracking_number.hpp"
#include "common/pipeline/pipeline.hpp"

namespace intake::pipeline {
namespace {

class reservation_test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/reservation-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    open();
  }
  void open() {
    outbox::outbox_options o;
    o.path = dir_ + "/outbox.db";
    o.initial_serial = 500;
    store_ = std::make_unique<outbox::outbox>(o);
    pipeline_options p;
    p.collector_id = "county-01";
    p.region = "440303";
    p.node = 3;
    pipeline_ = std::make_unique<pipeline>(p, *store_, submitter_ref("0123456789abcdef-test-key"),
                                           metrics_);
  }
  void close() {
    pipeline_.reset();
    store_.reset();
  }
  void TearDown() override {
    close();
    std::filesystem::remove_all(dir_);
  }

  core::result<std::string> reserve() {
    std::promise<core::result<std::string>> p;
    auto f = p.get_future();
    pipeline_->reserve_tracking_number([&p](core::result<std::string> r) { p.set_value(r); });
    return f.get();
  }
  core::result<model::receipt> submit(model::raw_submission raw) {
    std::promise<core::result<model::receipt>> p;
    auto f = p.get_future();
    pipeline_->submit(std::move(raw), [&p](core::result<model::receipt> r) { p.set_value(r); });
    return f.get();
  }
  static model::raw_submission raw(std::string text) {
    model::raw_submission r;
    r.channel = "sms";
    r.description = std::move(text);
    r.received_at = core::system_now();
    return r;
  }

  std::string dir_;
  core::metrics metrics_;
  std::unique_ptr<outbox::outbox> store_;
  std::unique_ptr<pipeline> pipeline_;
};

TEST_F(reservation_test, reserved_number_is_taken_by_its_submission) {
  auto number = reserve();
  ASSERT_TRUE(number) << number.error().message;
  auto other = submit(raw("另一件事"));
  ASSERT_TRUE(other);
  EXPECT_NE(other->tracking_number, *number);

  auto r = raw("路灯坏了");
  r.reserved_tracking_number = *number;
  auto receipt = submit(std::move(r));
  ASSERT_TRUE(receipt) << receipt.error().message;
  EXPECT_EQ(receipt->tracking_number, *number);
  auto events = store_->fetch(0, 0, 10);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].event_id, *number);
}

TEST_F(reservation_test, reserved_serial_is_never_handed_out_again_after_a_restart) {
  auto number = reserve();
  ASSERT_TRUE(number);
  close();
  open();
  auto next = submit(raw("重启之后"));
  ASSERT_TRUE(next);
  auto a = model::parse_tracking_number(*number);
  auto b = model::parse_tracking_number(next->tracking_number);
  ASSERT_TRUE(a && b);
  EXPECT_GT(b->serial, a->serial);
}

TEST_F(reservation_test, a_number_of_another_collector_is_refused) {
  auto r = raw("路灯坏了");
  r.reserved_tracking_number = model::make_tracking_number(110000, 3, 42);
  auto receipt = submit(std::move(r));
  ASSERT_FALSE(receipt);
  EXPECT_EQ(receipt.error().code, core::errc::invalid_field);
}

TEST_F(reservation_test, undecodable_bytes_travel_in_the_event) {
  auto r = raw("路灯\xEF\xBF\xBD坏了");
  r.undecodable.push_back(model::undecodable_text{2, "GBK", "c2b7ff"});
  ASSERT_TRUE(submit(std::move(r)));
  auto events = store_->fetch(0, 0, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(
      events[0].payload.find(R"("undecodable":[{"part":2,"charset":"GBK","raw_hex":"c2b7ff"}])"),
      std::string::npos)
      << events[0].payload;
}

}  // namespace
}  // namespace intake::pipeline
