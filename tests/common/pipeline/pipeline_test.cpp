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

model::raw_submission at_place(model::raw_submission r, std::optional<std::string> asset,
                               std::optional<std::string> address = {}) {
  r.location.asset_id = std::move(asset);
  r.location.address_string = std::move(address);
  return r;
}

TEST_F(pipeline_test, reports_of_one_place_by_different_people_name_the_first) {
  auto first = submit(at_place(raw("路灯不亮了，晚上很黑", "13800138000"), "LAMP-0123"));
  auto second = submit(at_place(raw("路灯不亮了，晚上很黑", "13900139000"), "lamp-0123"));
  auto third = submit(at_place(raw("路灯不亮了，晚上很黑！", "13700137000"), "LAMP-0123"));
  ASSERT_TRUE(first && second && third);
  // Each person is answered with a number of their own, as a new request...
  EXPECT_EQ(second->status, model::dedup_status::new_request);
  EXPECT_NE(second->tracking_number, first->tracking_number);
  EXPECT_NE(third->tracking_number, first->tracking_number);
  // ...and the feed carries them as duplicates of the first report, counted.
  auto pending = events();
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending[0].topic, "intake/v1/440303/request");
  for (std::size_t i = 1; i < 3; ++i) {
    rapidjson::Document doc;
    doc.Parse(pending[i].payload.c_str());
    EXPECT_EQ(pending[i].topic, "intake/v1/440303/duplicate");
    EXPECT_STREQ(doc["type"].GetString(), "cn.gov.12345.intake.duplicate");
    EXPECT_STREQ(doc["data"]["dedup"]["status"].GetString(), "duplicate");
    EXPECT_STREQ(doc["data"]["dedup"]["duplicate_of"].GetString(), first->tracking_number.c_str());
    EXPECT_EQ(doc["data"]["dedup"]["repeat_count"].GetInt(), static_cast<int>(i));
    const auto& own = i == 1 ? second->tracking_number : third->tracking_number;
    EXPECT_STREQ(doc["data"]["tracking_number"].GetString(), own.c_str())
        << "tracking_number is what that citizen was told";
    EXPECT_EQ(pending[i].event_id, own);
  }
}

struct place_case {
  std::string name;
  model::raw_submission first, second;
  bool linked;
};

TEST_F(pipeline_test, same_place_links_need_place_text_time_and_another_person) {
  const auto base = core::system_now() - 100h;
  const std::vector<place_case> cases = {
      {"same address written differently",
       at_place(raw("小区门口下水道堵了，污水横流", "13800138001", base), {}, "深南大道1001号"),
       at_place(raw("小区门口下水道堵了，污水横流", "13800138002", base + 1h), {},
                "深南大道 1001 號"),
       true},
      {"different problems at one asset",
       at_place(raw("路灯不亮了", "13800138003", base), "LAMP-7"),
       at_place(raw("灯杆被车撞歪了", "13800138004", base + 1h), "LAMP-7"), false},
      {"same text, other asset", at_place(raw("井盖丢了很危险", "13800138005", base), "WELL-1"),
       at_place(raw("井盖丢了很危险", "13800138006", base + 1h), "WELL-2"), false},
      {"after the window", at_place(raw("广场舞音响太吵", "13800138007", base), "SQ-1"),
       at_place(raw("广场舞音响太吵", "13800138008", base + 80h), "SQ-1"), false},
      {"anonymous reports of one asset",
       at_place(raw("公交站牌倒了", std::nullopt, base), "STOP-9"),
       at_place(raw("公交站牌倒了", std::nullopt, base + 1h), "STOP-9"), true},
  };
  for (const auto& c : cases) {
    auto first = submit(c.first);
    auto second = submit(c.second);
    ASSERT_TRUE(first && second) << c.name;
    EXPECT_EQ(second->status, model::dedup_status::new_request) << c.name;
    const auto pending = events();
    rapidjson::Document doc;
    doc.Parse(pending.back().payload.c_str());
    EXPECT_EQ(std::string(doc["data"]["dedup"]["status"].GetString()) == "duplicate", c.linked)
        << c.name;
    if (c.linked) {
      EXPECT_STREQ(doc["data"]["dedup"]["duplicate_of"].GetString(), first->tracking_number.c_str())
          << c.name;
    }
  }
}

TEST_F(pipeline_test, an_emergency_at_a_reported_place_still_goes_out_urgent) {
  // A second caller about the same fire is not folded into the first report: every emergency
  // reaches the urgent topic and every caller is told to call 119.
  auto first = submit(at_place(raw("楼道着火了，有人被困", "13800138000"), {}, "深南大道1001号"));
  auto again = submit(at_place(raw("楼道着火了，有人被困", "13900139000"), {}, "深南大道1001号"));
  ASSERT_TRUE(first && again);
  EXPECT_EQ(again->urgency, model::urgency::emergency);
  EXPECT_EQ(again->status, model::dedup_status::new_request);
  const auto urgent = events(1);
  ASSERT_EQ(urgent.size(), 2u);
  EXPECT_EQ(urgent[1].topic, "intake/v1/440303/urgent");
}

TEST_F(pipeline_test, purged_records_take_their_dedup_rows_with_them) {
  auto count = [this](const char* table) {
    auto db = outbox::database::open(dir_ + "/outbox.db", false, true);
    auto stmt = db.prepare(std::string("SELECT COUNT(*) FROM ") + table);
    EXPECT_TRUE(stmt.step());
    return stmt.column_int(0);
  };
  // 40 different reports about one asset, long ago: more than a place lists, so it is keyed.
  const auto old = core::system_now() - 40 * 24h;
  for (int i = 0; i < 40; ++i) {
    auto r = raw("旧的请求" + std::to_string(i) + std::string(i % 7 + 1, "abcdefg"[i % 7]),
                 "138001380" + std::to_string(10 + i), old + std::chrono::minutes(i));
    ASSERT_TRUE(submit(at_place(r, "LAMP-1")));
  }
  ASSERT_TRUE(submit(at_place(raw("新的请求垃圾没人收", "13800138000"), "LAMP-2")));
  EXPECT_EQ(count("dedup_places"), 41);
  EXPECT_GT(count("dedup_keys"), 0);
  ASSERT_TRUE(store_->purge_records_before(core::to_unix_ms(core::system_now() - 30 * 24h)));
  EXPECT_EQ(count("dedup_places"), 1);
  EXPECT_EQ(count("dedup_keys"), 0);
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
