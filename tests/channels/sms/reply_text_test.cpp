#include "channels/sms/reply_text.hpp"

#include <gtest/gtest.h>

#include "channels/sms/kannel_sender.hpp"

namespace intake::channels::sms {
namespace {

TEST(reply_text, templates) {
  const reply_templates t;
  const auto accepted = reply_for(t, "DDZF-001S-0063-W", std::nullopt);
  EXPECT_NE(accepted.find("DDZF-001S-0063-W"), std::string::npos);
  EXPECT_EQ(accepted.find("{"), std::string::npos);
  const auto urgent = reply_for(t, "DDZF-001S-0063-W", "119");
  EXPECT_NE(urgent.find("请立即拨打119"), std::string::npos);
  EXPECT_NE(urgent.find("DDZF-001S-0063-W"), std::string::npos);
  EXPECT_EQ(render_template("{tracking}/{referral}/{other}", "T", "R"), "T/R/{other}");
}

struct reply_case {
  const char* number;
  bool allowed;
};

TEST(reply_text, who_may_get_a_reply) {
  const std::vector<std::string> own = {"+86 138 0000 0000", "12345"};
  const reply_case cases[] = {
      {"+8613800138000", true},  {"+8613800000000", false},  // the gateway's own number
      {"+8675587654321", false},                             // a landline gets no SMS
      {"12345", false},          {"raw:10086", false},      {"+861380013800", false},
  };
  for (const auto& c : cases) EXPECT_EQ(may_reply_to(c.number, own), c.allowed) << c.number;
}

TEST(kannel_sender, request_url_escapes_every_value) {
  kannel_sender sender({"http://127.0.0.1:13013/cgi-bin/sendsms", "intake", "p&w=1", "12345"});
  const auto url = sender.request_url({"+8613800138000", "编号 A&B", "T"});
  EXPECT_EQ(url,
            "http://127.0.0.1:13013/cgi-bin/sendsms?username=intake&password=p%26w%3D1&from=12345"
            "&to=%2B8613800138000&text=%E7%BC%96%E5%8F%B7%20A%26B&coding=2&charset=UTF-8");
}

}  // namespace
}  // namespace intake::channels::sms
