#include "common/pipeline/pipeline.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <set>

#include "common/model/tracking_number.hpp"

namespace intake::pipeline {
namespace {

using namespace std::chrono_literals;

class pipeline_test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/pipeline-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    outbox::outbox_options o;
    o.path = dir_ + "/outbox.db";
    o.initial_serial = 1000;
    store_ = std::make_unique<outbox::outbox>(o);
    pipeline_options p;
    p.collector_id = "county-01";
    p.region = "440303";
    p.node = 7;
    pipeline_ = std::make_unique<pipeline>(p, *store_, submitter_ref("0123456789abcdef-test-key"),
                                           metrics_);
  }
  void TearDown() override {
    pipeline_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  core::result<model::receipt> submit(model::raw_submission raw) {
    std::promise<core::result<model::receipt>> p;
    auto f = p.get_future();
    pipeline_->submit(std::move(raw), [&p](core::result<model::receipt> r) { p.set_value(r); });
    return f.get();
  }

  static model::raw_submission raw(std::string text, std::optional<std::string> phone = {},
                                   core::sys_time at = core::system_now()) {
    model::raw_submission r;
    r.channel = "api";
    r.description = std::move(text);
    r.submitter.phone = std::move(phone);
    r.received_at = at;
    return r;
  }

  std::vector<outbox::pending_event> events(int priority = 0) {
    return store_->fetch(priority, 0, 1000);
  }

  std::string dir_;
  core::metrics metrics_;
  std::unique_ptr<outbox::outbox> store_;
  std::unique_ptr<pipeline> pipeline_;
};

TEST_F(pipeline_test, new_submission_gets_a_tracking_number_and_one_event) {
  auto r = submit(raw("  小区门口路灯坏了\t一个星期 ", "138 0013 8000"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, model::dedup_status::new_request);
  auto parts = model::parse_tracking_number(r->tracking_number);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->region, 440303u);
  EXPECT_EQ(parts->node, 7);
  EXPECT_EQ(parts->serial, 1000u);

  auto pending = events();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].topic, "intake/v1/440303/request");
  EXPECT_EQ(pending[0].event_id, r->tracking_number);
  rapidjson::Document doc;
  doc.Parse(pending[0].payload.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["subject"].GetString(), r->tracking_number.c_str());
  EXPECT_STREQ(doc["source"].GetString(), "urn:intake-edge:440303:county-01");
  const auto& data = doc["data"];
  EXPECT_STREQ(data["description"].GetString(), "小区门口路灯坏了 一个星期");
  EXPECT_STREQ(data["description_original"].GetString(), "  小区门口路灯坏了\t一个星期 ");
  EXPECT_STREQ(data["submitter"]["phone"].GetString(), "+8613800138000");
  EXPECT_STREQ(data["submitter"]["phone_masked"].GetString(), "138****8000");
  EXPECT_EQ(std::string(data["submitter"]["ref"].GetString()).size(), 32u);
  EXPECT_STREQ(data["dedup"]["status"].GetString(), "new");
}

TEST_F(pipeline_test, same_idempotency_key_returns_the_original_and_stores_nothing) {
  auto first_raw = raw("路灯坏了");
  first_raw.idempotency_key = "key-1";
  auto first = submit(first_raw);
  ASSERT_TRUE(first);
  auto again = submit(first_raw);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->tracking_number, first->tracking_number);
  EXPECT_EQ(events().size(), 1u);
  // The key is scoped by channel.
  auto other_channel = first_raw;
  other_channel.channel = "sms";
  auto third = submit(other_channel);
  ASSERT_TRUE(third);
  EXPECT_FALSE(third->replayed);
}

TEST_F(pipeline_test, concurrent_copies_in_one_batch_are_decided_once) {
  // Submitted back to back they land in one group commit; the second must still see the first.
  std::vector<std::future<core::result<model::receipt>>> futures;
  std::vector<std::promise<core::result<model::receipt>>> promises(20);
  for (auto& p : promises) {
    futures.push_back(p.get_future());
    auto r = raw("同一个请求");
    r.idempotency_key = "same";
    pipeline_->submit(r, [&p](core::result<model::receipt> x) { p.set_value(x); });
  }
  int fresh = 0;
  std::set<std::string> numbers;
  for (auto& f : futures) {
    auto r = f.get();
    ASSERT_TRUE(r);
    fresh += r->replayed ? 0 : 1;
    numbers.insert(r->tracking_number);
  }
  EXPECT_EQ(fresh, 1);
  EXPECT_EQ(numbers.size(), 1u);
  EXPECT_EQ(events().size(), 1u);
}

struct near_case {
  std::string name;
  std::string first, second;
  std::optional<std::string> phone_first, phone_second;
  std::chrono::hours gap;
  bool duplicate;
};

TEST_F(pipeline_test, near_duplicates_by_the_same_submitter_within_the_window) {
  const std::vector<near_case> cases = {
      {"one character added", "小区门口路灯坏了一个星期", "小区门口路灯坏了一个星期了",
       "13800138000", "+86 138-0013-8000", 1h, true},
      {"traditional script", "小区门口路灯坏了一个星期没人修", "小區門口路燈壞了一個星期沒人修",
       "13900139000", "13900139000", 1h, true},
      {"different person", "楼下餐馆油烟很大影响休息", "楼下餐馆油烟很大影响休息", "13700137000",
       "13600136000", 1h, false},
      {"different text", "公交站牌被撞坏了", "垃圾桶满了没人清理", "13500135000", "13500135000", 1h,
       false},
      {"outside the window", "地铁口共享单车乱停放", "地铁口共享单车乱停放", "13400134000",
       "13400134000", 80h, false},
      {"anonymous", "广场舞噪音太大", "广场舞噪音太大", std::nullopt, std::nullopt, 1h, false},
  };
  const auto base = core::system_now() - 100h;
  for (const auto& c : cases) {
    auto first = submit(raw(c.first, c.phone_first, base));
    ASSERT_TRUE(first) << c.name;
    auto second = submit(raw(c.second, c.phone_second, base + c.gap));
    ASSERT_TRUE(second) << c.name;
    EXPECT_EQ(second->status == model::dedup_status::duplicate, c.duplicate) << c.name;
    if (c.duplicate) {
      EXPECT_EQ(second->tracking_number, first->tracking_number) << c.name;
    }
  }
}

TEST_F(pipeline_test, duplicate_event_names_the_original_and_counts_repeats) {
  auto first = submit(raw("小区门口路灯坏了一个星期", "13800138000"));
  ASSERT_TRUE(first);
  auto second = submit(raw("小区门口路灯坏了一个星期了", "13800138000"));
  auto third = submit(raw("小区门口路灯坏了一个星期!!", "13800138000"));
  ASSERT_TRUE(second && third);
  auto pending = events();
  ASSERT_EQ(pending.size(), 3u);
  rapidjson::Document doc;
  doc.Parse(pending[2].payload.c_str());
  EXPECT_EQ(pending[2].topic, "intake/v1/440303/duplicate");
  EXPECT_STREQ(doc["type"].GetString(), "cn.gov.12345.intake.duplicate");
  EXPECT_STREQ(doc["data"]["dedup"]["duplicate_of"].GetString(), first->tracking_number.c_str());
  EXPECT_EQ(doc["data"]["dedup"]["repeat_count"].GetInt(), 2);
  EXPECT_NE(pending[2].event_id, pending[1].event_id);
}

TEST_F(pipeline_test, emergencies_go_to_the_urgent_topic_first) {
  auto r = submit(raw("楼道着火了，有人被困"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->urgency, model::urgency::emergency);
  EXPECT_EQ(r->referral, "119");
  auto urgent = events(1);
  ASSERT_EQ(urgent.size(), 1u);
  EXPECT_EQ(urgent[0].topic, "intake/v1/440303/urgent");
}

struct invalid_case {
  std::string name;
  model::raw_submission raw;
  core::errc code;
};

TEST_F(pipeline_test, invalid_input_is_refused_before_anything_is_stored) {
  auto with = [](auto change) {
    model::raw_submission r = raw("路灯坏了");
    change(r);
    return r;
  };
  const std::vector<invalid_case> cases = {
      {"blank description", with([](auto& r) { r.description = " \t\u3000 "; }),
       core::errc::missing_field},
      {"bad utf-8", with([](auto& r) { r.description = "\xff\xfe"; }), core::errc::invalid_utf8},
      {"too long", with([](auto& r) { r.description = std::string(5001, 'a'); }),
       core::errc::field_too_long},
      {"bad phone", with([](auto& r) { r.submitter.phone = "12345"; }), core::errc::invalid_phone},
      {"bad e-mail", with([](auto& r) { r.submitter.email = "not-an-address"; }),
       core::errc::invalid_email},
      {"lat without long", with([](auto& r) { r.location.lat = 22.5; }), core::errc::invalid_field},
      {"lat out of range", with([](auto& r) {
         r.location.lat = 91;
         r.location.lon = 0;
       }),
       core::errc::invalid_field},
      {"bad service code", with([](auto& r) { r.service_code = "路灯 lighting"; }),
       core::errc::invalid_field},
  };
  for (const auto& c : cases) {
    auto r = submit(c.raw);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().message;
  }
  EXPECT_TRUE(events().empty());
  EXPECT_EQ(store_->stats().commits, 0u);
}

TEST_F(pipeline_test, records_past_retention_are_purged_and_forgotten) {
  using namespace std::chrono_literals;
  auto old = raw("旧的请求", std::nullopt, core::system_now() - 40 * 24h);
  old.idempotency_key = "old-key";
  ASSERT_TRUE(submit(old));
  ASSERT_TRUE(submit(raw("新的请求")));
  auto purged = store_->purge_records_before(core::to_unix_ms(core::system_now() - 30 * 24h));
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1);
  auto again = submit(old);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->replayed) << "a purged key is no longer remembered";
}

TEST_F(pipeline_test, error_messages_never_echo_personal_data) {
  auto r = submit(raw("路灯坏了", "1380013800"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.find("1380013800"), std::string::npos);
}

}  // namespace
}  // namespace intake::pipeline
