#include "channels/sms/form_params.hpp"

#include <gtest/gtest.h>

namespace intake::channels::sms {
namespace {

TEST(form_params, kannel_escapes) {
  auto p = parse_form("from=%2B8613800138000&text=hello+world&charset=UTF-16BE&empty=&flag");
  ASSERT_TRUE(p);
  EXPECT_EQ(param(*p, "from"), "+8613800138000");
  EXPECT_EQ(param(*p, "text"), "hello world");
  EXPECT_EQ(param(*p, "empty"), "");
  EXPECT_EQ(param(*p, "flag"), "");
  EXPECT_FALSE(param(*p, "absent"));
}

TEST(form_params, raw_bytes_survive) {
  auto p = parse_form("text=%8D%EF%00%70");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->at("text"), std::string("\x8D\xEF\0p", 4));
}

TEST(form_params, first_value_wins) {
  auto p = parse_form("id=a&id=b");
  ASSERT_TRUE(p);
  EXPECT_EQ(param(*p, "id"), "a");
}

TEST(form_params, malformed_escapes_are_refused) {
  for (const char* bad : {"text=%", "text=%4", "text=%zz", "%G1=x"}) {
    auto p = parse_form(bad);
    ASSERT_FALSE(p) << bad;
    EXPECT_EQ(p.error().code, core::errc::bad_request);
  }
}

TEST(form_params, query_of_target) {
  EXPECT_EQ(query_of("/sms/kannel?from=1&to=2"), "from=1&to=2");
  EXPECT_EQ(query_of("/sms/kannel"), "");
  EXPECT_EQ(query_of("/sms/kannel?a=1#frag"), "a=1");
}

}  // namespace
}  // namespace intake::channels::sms
