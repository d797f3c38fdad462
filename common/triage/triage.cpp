#include "common/triage/triage.hpp"

#include <array>
#include <string>

namespace intake::triage {

namespace {

struct rule {
  std::string_view name;
  std::string_view referral;  // empty: statutory route rule
  std::string_view route;
  std::initializer_list<std::string_view> terms;
};

// A term preceded closely by one of these does not count ("没有人受伤", "不是着火").
constexpr std::array<std::string_view, 6> negations = {"没有", "没", "无", "不是", "未", "并非"};
// A text that speaks of the past or asks about procedure is not an emergency now.
constexpr std::array<std::string_view, 6> past_markers = {"上个月", "去年", "之前",
                                                          "以前",   "曾经", "后的维修"};

const rule rules[] = {
    {"fire", "119", "", {"着火", "起火", "火灾", "冒烟", "煤气泄漏", "燃气泄漏", "被困"}},
    {"medical", "120", "", {"昏迷", "晕倒", "大量出血", "中毒", "喘不过气", "不省人事"}},
    {"traffic_injury", "122", "", {"车祸", "撞车", "交通事故"}},
    {"violence", "110", "", {"打人", "持刀", "抢劫", "正在偷", "小孩走失", "孩子丢了", "绑架"}},
    {"litigation", "", "litigation", {"起诉", "诉讼", "法院判决"}},
    {"arbitration", "", "arbitration", {"劳动仲裁", "仲裁"}},
    {"petition", "", "petition", {"信访"}},
};

bool negated(std::string_view text, std::size_t pos) {
  const std::size_t window = 9;  // three CJK characters before the term
  const std::size_t start = pos > window ? pos - window : 0;
  const auto before = text.substr(start, pos - start);
  for (auto n : negations) {
    if (before.find(n) != std::string_view::npos) return true;
  }
  return false;
}

bool speaks_of_past(std::string_view text) {
  for (auto m : past_markers) {
    if (text.find(m) != std::string_view::npos) return true;
  }
  return false;
}

bool fires(std::string_view text, const rule& r) {
  for (auto term : r.terms) {
    for (auto pos = text.find(term); pos != std::string_view::npos;
         pos = text.find(term, pos + term.size())) {
      if (!negated(text, pos)) return true;
    }
  }
  return false;
}

}  // namespace

model::triage assess(std::string_view text) {
  model::triage out;
  const bool past = speaks_of_past(text);
  for (const auto& r : rules) {
    if (!fires(text, r)) continue;
    if (!r.referral.empty()) {
      if (past || out.referral) continue;
      out.urgency = model::urgency::emergency;
      out.referral = std::string(r.referral);
      out.rule = std::string(r.name);
    } else if (!out.statutory_route) {
      out.statutory_route = std::string(r.route);
      if (out.rule.empty()) out.rule = std::string(r.name);
    }
  }
  return out;
}

}  // namespace intake::triage
