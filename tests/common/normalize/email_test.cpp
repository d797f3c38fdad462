#include "common/normalize/email.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace intake::normalize {
namespace {

struct email_case {
  std::string in;
  std::string want;
};

TEST(normalize_email, accepts_and_lower_cases) {
  const std::vector<email_case> cases = {
      {"zhangsan@example.cn", "zhangsan@example.cn"},
      {"  ZhangSan@Example.CN \n", "zhangsan@example.cn"},
      {"first.last+tag@mail.example.com.cn", "first.last+tag@mail.example.com.cn"},
      {"zhangsan＠ｑｑ．ｃｏｍ", "zhangsan@qq.com"},
      {"\u3000li_si@163.com\u3000", "li_si@163.com"},
      {"a@b.co", "a@b.co"},
      {"user@xn--fiqs8s.cn", "user@xn--fiqs8s.cn"},
      {"用户@例子.中国", "用户@例子.中国"},
      {std::string(64, 'a') + "@example.cn", std::string(64, 'a') + "@example.cn"},
  };
  for (const auto& c : cases) {
    const auto got = normalize_email(c.in);
    ASSERT_TRUE(got.has_value()) << c.in;
    EXPECT_EQ(*got, c.want) << c.in;
  }
}

TEST(normalize_email, rejects_bad_shapes) {
  const std::vector<std::string> cases = {
      "",
      "   ",
      "zhangsan",
      "zhangsan@",
      "@example.cn",
      "zhang@san@example.cn",
      "zhangsan@localhost",
      "zhang san@example.cn",
      "zhangsan@exa mple.cn",
      "zhangsan@example..cn",
      "zhangsan@.example.cn",
      "zhangsan@example.cn.",
      "zhangsan@-example.cn",
      ".zhangsan@example.cn",
      "zhangsan.@example.cn",
      "zhang..san@example.cn",
      "\"zhang san\"@example.cn",
      "zhangsan@[127.0.0.1]",
      "zhangsan@127.0.0.1",
      "<zhangsan@example.cn>",
      "zhangsan@example.cn\xff",
      std::string(65, 'a') + "@example.cn",
      "a@" + std::string(63, 'b') + "." + std::string(63, 'c') + "." + std::string(63, 'd') + "." +
          std::string(61, 'e'),  // 255 bytes
      "a@" + std::string(64, 'b') + ".cn",
  };
  for (const auto& in : cases) {
    const auto got = normalize_email(in);
    ASSERT_FALSE(got.has_value()) << in;
    EXPECT_EQ(got.error().code, core::errc::invalid_email) << in;
    EXPECT_EQ(got.error().message.find('@'), std::string::npos) << "message echoes the address";
  }
}

TEST(normalize_email, accepts_254_bytes) {
  const std::string address = "a@" + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                              std::string(63, 'd') + "." + std::string(60, 'e');
  ASSERT_EQ(address.size(), 254u);
  EXPECT_TRUE(normalize_email(address).has_value());
}

TEST(mask_email, keeps_first_character_and_domain) {
  const std::vector<email_case> cases = {
      {"zhangsan@example.cn", "z***@example.cn"},
      {"a@b.co", "a***@b.co"},
      {"用户@例子.中国", "用***@例子.中国"},
      {"", "***"},
      {"@example.cn", "***"},
      {"no-at-sign", "***"},
  };
  for (const auto& c : cases) EXPECT_EQ(mask_email(c.in), c.want) << c.in;
}

}  // namespace
}  // namespace intake::normalize
