#include "common/dedup/detector.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/dedup/minhash.hpp"
#include "common/normalize/text.hpp"
#include "tests/common/dedup/memory_index.hpp"

namespace intake::dedup {
namespace {

using testing::desk;
using namespace std::chrono_literals;

std::string fold(std::string_view text) {
  return normalize::fold_for_matching(*normalize::normalize_text(text));
}

std::int64_t at(std::chrono::minutes t) {
  return 1'750'000'000'000 + std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
}

std::string synthetic(std::uint32_t seed, int chars) {
  std::string out;
  std::uint32_t x = seed;
  for (int i = 0; i < chars; ++i) {
    x = x * 1664525u + 1013904223u;
    const char32_t cp = 0x4E00 + (x >> 8) % 2000;
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return out;
}

constexpr int none = -1;

struct step {
  std::string text;
  std::optional<std::string> ref;
  std::vector<std::string> places;
  std::chrono::minutes time;
  link_kind want;
  int names = none;  // the step whose request this one must name
  bool emergency = false;
};

struct scenario {
  std::string name;
  std::vector<step> steps;
};

const std::string lamp = "asset:lamp-0123";
const std::string road = "address:" + fold("深南大道1001号");

TEST(detector, scenarios) {
  const std::string letter = synthetic(1, 2000);
  const std::vector<scenario> scenarios = {
      {"SMS of 20 characters sent again with words added",
       {{"幸福小区3栋门口路灯坏了，晚上很黑很危险", "p1", {}, 0min, link_kind::none},
        {"幸福小区3栋门口路灯坏了一个星期了，晚上很黑很危险",
         "p1",
         {},
         60min,
         link_kind::same_submitter,
         0}}},
      {"SMS shortened to its first words",
       {{"路灯坏了一个星期", "p1", {}, 0min, link_kind::none},
        {"路灯坏了", "p1", {}, 5min, link_kind::same_submitter, 0}}},
      {"letter of 2,000 characters sent again with a paragraph appended",
       {{letter, "p1", {}, 0min, link_kind::none},
        {letter + synthetic(2, 500), "p1", {}, 24h, link_kind::same_submitter, 0}}},
      {"letter of 2,000 characters against a different letter",
       {{letter, "p1", {}, 0min, link_kind::none},
        {synthetic(3, 2000), "p1", {}, 24h, link_kind::none}}},
      {"traditional script against simplified",
       {{"小区门口路灯坏了一个星期没人修", "p1", {}, 0min, link_kind::none},
        {"小區門口路燈壞了一個星期沒人修", "p1", {}, 60min, link_kind::same_submitter, 0}}},
      {"reordered sentences",
       {{"楼下烧烤店油烟很大。晚上十二点还很吵。请管一管。", "p1", {}, 0min, link_kind::none},
        {"晚上十二点还很吵。请管一管。楼下烧烤店油烟很大。",
         "p1",
         {},
         60min,
         link_kind::same_submitter,
         0}}},
      {"same person, different problem",
       {{"公交站牌被撞坏了", "p1", {}, 0min, link_kind::none},
        {"垃圾桶满了没人清理", "p1", {}, 60min, link_kind::none}}},
      {"same text, different people, no place",
       {{"楼下餐馆油烟很大影响休息", "p1", {}, 0min, link_kind::none},
        {"楼下餐馆油烟很大影响休息", "p2", {}, 60min, link_kind::none}}},
      {"same text, different people, same asset",
       {{"路灯不亮了", "p1", {lamp}, 0min, link_kind::none},
        {"路灯不亮了", "p2", {lamp}, 60min, link_kind::same_place, 0}}},
      {"same text, different people, different assets",
       {{"路灯不亮了", "p1", {lamp}, 0min, link_kind::none},
        {"路灯不亮了", "p2", {"asset:lamp-0124"}, 60min, link_kind::none}}},
      {"similar text, different people, one address",
       {{"深南大道1001号门口的路灯坏了一个星期，晚上很黑，请尽快修",
         "p1",
         {road},
         0min,
         link_kind::none},
        {"深南大道1001号门口的路灯坏了一个星期，晚上黑漆漆的，请尽快修",
         "p2",
         {road},
         3h,
         link_kind::same_place,
         0}}},
      {"different problems, same place, different people",
       {{"小区3号楼停水了请尽快恢复", "p1", {road}, 0min, link_kind::none},
        {"小区3号楼电梯坏了请尽快修理", "p2", {road}, 60min, link_kind::none}}},
      {"different problems at one address, which both texts spell out",
       {{"深南大道1001号门口的路灯坏了", "p1", {road}, 0min, link_kind::none},
        {"深南大道1001号门口垃圾没人清理", "p2", {road}, 60min, link_kind::none}}},
      {"different problems in short texts that differ in two characters",
       {{"深南大道1001号门口有人乱停车", "p1", {road}, 0min, link_kind::none},
        {"深南大道1001号门口有人乱摆摊", "p2", {road}, 60min, link_kind::none}}},
      {"anonymous reports of one asset",
       {{"路灯不亮了", std::nullopt, {lamp}, 0min, link_kind::none},
        {"这个路灯不亮了", std::nullopt, {lamp}, 60min, link_kind::same_place, 0}}},
      {"same person, one place, text only partly alike",
       {{"深南大道1001号门口的路灯坏了一个星期，晚上很黑，请尽快修",
         "p1",
         {road},
         0min,
         link_kind::none},
        {"深南大道1001号门口的路灯坏了一个星期，晚上黑漆漆的，请尽快修",
         "p1",
         {road},
         3h,
         link_kind::none}}},
      {"same submitter outside the window",
       {{"地铁口共享单车乱停放", "p1", {}, 0min, link_kind::none},
        {"地铁口共享单车乱停放", "p1", {}, 80h, link_kind::none}}},
      {"same place outside the window",
       {{"路灯不亮了", "p1", {lamp}, 0min, link_kind::none},
        {"路灯不亮了", "p2", {lamp}, 73h, link_kind::none}}},
      {"a third person names the first report",
       {{"路灯不亮了", "p1", {lamp}, 0min, link_kind::none},
        {"路灯不亮了", "p2", {lamp}, 60min, link_kind::same_place, 0},
        {"路灯不亮了", "p3", {lamp}, 120min, link_kind::same_place, 0}}},
      {"a person repeating their own linked report is told their own number",
       {{"路灯不亮了", "p1", {lamp}, 0min, link_kind::none},
        {"路灯不亮了，请尽快修", "p2", {lamp}, 60min, link_kind::same_place, 0},
        {"路灯不亮了，请尽快修", "p2", {lamp}, 120min, link_kind::same_submitter, 1}}},
      {"someone matching only a repeat still names the first report",
       {{"路灯不亮了快来修", "p1", {}, 0min, link_kind::none},
        {"路灯不亮了快来修", "p1", {lamp}, 30min, link_kind::same_submitter, 0},
        {"路灯不亮了快来修", "p3", {lamp}, 60min, link_kind::same_place, 0}}},
      {"an emergency is never folded into another's report",
       {{"楼道里有烟味", "p1", {road}, 0min, link_kind::none},
        {"楼道里有烟味", "p2", {road}, 10min, link_kind::none, none, true},
        {"楼道里有烟味", "p3", {road}, 20min, link_kind::same_place, 0}}},
      {"nothing left after folding",
       {{"？？？", "p1", {}, 0min, link_kind::none}, {"？？？", "p1", {}, 1min, link_kind::none}}},
  };
  for (const auto& sc : scenarios) {
    desk d;
    std::vector<std::string> told;
    for (std::size_t i = 0; i < sc.steps.size(); ++i) {
      const auto& s = sc.steps[i];
      const auto out = d.submit(fold(s.text), s.ref, s.places, at(s.time), s.emergency);
      EXPECT_EQ(out.d.link, s.want) << sc.name << ", step " << i;
      if (s.names != none) {
        EXPECT_EQ(out.d.original_tracking, told.at(static_cast<std::size_t>(s.names)))
            << sc.name << ", step " << i;
      }
      told.push_back(out.tracking);
    }
  }
}

TEST(detector, repeat_count_counts_everyone_who_reported_the_place) {
  desk d;
  const auto first = d.submit(fold("路灯不亮了"), "p1", {lamp}, at(0min));
  for (int p = 2; p <= 5; ++p) {
    const auto out = d.submit(fold("路灯不亮了"), "p" + std::to_string(p), {lamp}, at(p * 10min));
    EXPECT_EQ(out.d.original_tracking, first.tracking);
    EXPECT_NE(out.tracking, first.tracking) << "each person keeps a number of their own";
  }
  EXPECT_EQ(d.repeat_count(first.tracking), 4);
}

TEST(detector, a_crowded_place_is_keyed_and_copies_add_no_keys) {
  desk d;
  const auto first = d.submit(fold("路灯不亮了快来修"), "p0", {lamp}, at(0min));
  for (int i = 1; i <= 40; ++i) {
    d.submit(fold(synthetic(static_cast<std::uint32_t>(i), 40)), "p" + std::to_string(i), {lamp},
             at(std::chrono::minutes(i)));
  }
  // Keyed from the 33rd report on: the 32 listed then, and each one since.
  EXPECT_EQ(d.index().key_rows(), 41 * band_count);
  // The first report is no longer among the 32 latest, and is still found, through its keys.
  const auto copy = d.submit(fold("路灯不亮了快来修"), "p100", {lamp}, at(60min));
  EXPECT_EQ(copy.d.link, link_kind::same_place);
  EXPECT_EQ(copy.d.original_tracking, first.tracking);
  EXPECT_EQ(d.index().key_rows(), 41 * band_count) << "a copy is found where its original is";
  const auto other = d.submit(fold("灯杆被车撞歪了"), "p101", {lamp}, at(61min));
  EXPECT_EQ(other.d.link, link_kind::none);
  EXPECT_EQ(d.index().key_rows(), 42 * band_count);
}

TEST(detector, place_threshold_and_window_are_configurable) {
  rules strict;
  strict.place_similarity = 0.95;
  strict.place_window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(7 * 24h).count();
  desk d(strict);
  d.submit(fold("深南大道1001号门口的路灯坏了一个星期，晚上很黑，请尽快修"), "p1", {road},
           at(0min));
  EXPECT_EQ(d.submit(fold("深南大道1001号门口的路灯坏了一个星期，晚上黑漆漆的，请尽快修"), "p2",
                     {road}, at(60min))
                .d.link,
            link_kind::none);
  EXPECT_EQ(d.submit(fold("深南大道1001号门口的路灯坏了一个星期，晚上很黑，请尽快修"), "p3", {road},
                     at(100h))
                .d.link,
            link_kind::same_place);
}

TEST(detector, uncrowded_scopes_cost_no_key_rows_or_key_lookups) {
  desk d;
  for (int i = 0; i < 3000; ++i) {
    d.submit(fold(synthetic(static_cast<std::uint32_t>(i + 10), 60)),
             "p" + std::to_string(i % 1000), {"address:place" + std::to_string(i % 1000)},
             at(std::chrono::minutes(i)));
  }
  EXPECT_EQ(d.index().key_rows(), 0u) << "three requests per person and per place";
  const auto before = d.index().lookups();
  d.submit(fold("路灯不亮了"), "p7", {"address:place7"}, at(3001min));
  EXPECT_EQ(d.index().lookups(), before) << "everything in scope was read in one list each";
}

TEST(detector, finds_a_prolific_senders_old_repeat_through_the_band_keys) {
  desk d;
  const auto first = d.submit(fold("某某公司拖欠工资三个月了请政府帮忙讨薪"), "busy", {}, at(0min));
  for (int i = 0; i < 100; ++i) {
    d.submit(fold(synthetic(static_cast<std::uint32_t>(100 + i), 80)), "busy", {},
             at(std::chrono::minutes(1 + i)));
  }
  const auto again =
      d.submit(fold("某某公司拖欠工资三个月了，请政府帮忙讨薪！"), "busy", {}, at(200min));
  EXPECT_EQ(again.d.link, link_kind::same_submitter);
  EXPECT_EQ(again.tracking, first.tracking);
}

TEST(detector, finds_a_persons_earlier_text_past_a_flood_of_look_alikes) {
  // Hundreds of people paste one text about one address; the per-key limit keeps each lookup
  // short, and the same person's earlier copy is still found.
  desk d;
  const auto mine =
      d.submit(fold("某某公司拖欠工资三个月了请政府帮忙讨薪"), "me", {road}, at(0min));
  for (int p = 0; p < 500; ++p) {
    d.submit(fold("某某公司拖欠工资三个月了请政府帮忙讨薪"), "other" + std::to_string(p), {road},
             at(std::chrono::minutes(1 + p)));
  }
  const auto again =
      d.submit(fold("某某公司拖欠工资三个月了，请政府帮忙讨薪！"), "me", {road}, at(600min));
  EXPECT_EQ(again.d.link, link_kind::same_submitter);
  EXPECT_EQ(again.tracking, mine.tracking);
}

}  // namespace
}  // namespace intake::dedup
