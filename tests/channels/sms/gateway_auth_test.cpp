#include "channels/sms/gateway_auth.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/core/hmac.hpp"

namespace intake::channels::sms {
namespace {

struct address_case {
  const char* address;
  bool allowed;
};

TEST(address_allow_list, addresses_and_networks) {
  const address_allow_list list({"127.0.0.1", "10.1.0.0/16", "::1", "fd00::/8"});
  const address_case cases[] = {
      {"127.0.0.1", true},
      {"127.0.0.2", false},
      {"10.1.200.3", true},
      {"10.2.0.1", false},
      {"::1", true},
      {"::ffff:127.0.0.1", true},
      {"fd12:3456::1", true},
      {"fe80::1", false},
      {"not-an-address", false},
      {"", false},
  };
  for (const auto& c : cases) EXPECT_EQ(list.allows(c.address), c.allowed) << c.address;
}

TEST(address_allow_list, empty_allows_any_and_bad_entries_fail_at_startup) {
  EXPECT_TRUE(address_allow_list({}).allows("203.0.113.9"));
  EXPECT_THROW(address_allow_list({"localhost"}), std::invalid_argument);
  EXPECT_THROW(address_allow_list({"10.0.0.0/33"}), std::invalid_argument);
  EXPECT_THROW(address_allow_list({"10.0.0.0/"}), std::invalid_argument);
}

struct gateway_case {
  const char* name;
  const char* address;
  std::optional<std::string_view> secret;
  std::optional<core::errc> code;
};

TEST(check_gateway, secret_and_address) {
  const address_allow_list list({"127.0.0.1"});
  const gateway_case cases[] = {
      {"right", "127.0.0.1", "s3cret", std::nullopt},
      {"missing", "127.0.0.1", std::nullopt, core::errc::unauthorized},
      {"empty", "127.0.0.1", "", core::errc::unauthorized},
      {"wrong", "127.0.0.1", "s3cres", core::errc::unauthorized},
      {"prefix", "127.0.0.1", "s3c", core::errc::unauthorized},
      {"longer", "127.0.0.1", "s3cret!", core::errc::unauthorized},
      {"other_address", "192.0.2.1", "s3cret", core::errc::forbidden},
  };
  for (const auto& c : cases) {
    auto r = check_gateway(list, c.address, "s3cret", c.secret);
    if (c.code) {
      ASSERT_FALSE(r) << c.name;
      EXPECT_EQ(r.error().code, *c.code) << c.name;
    } else {
      EXPECT_TRUE(r) << c.name;
    }
  }
  EXPECT_TRUE(check_gateway(list, "127.0.0.1", "", std::nullopt)) << "no secret configured";
}

TEST(check_signature, hex_prefixed_and_base64) {
  const std::string key = "webhook-key";
  const std::string body = R"({"from":"13800138000","text":"路灯坏了"})";
  const std::string mac = core::hmac_sha256(key, body);
  std::string hex;
  for (unsigned char c : mac) {
    static constexpr char d[] = "0123456789abcdef";
    hex += d[c >> 4];
    hex += d[c & 15];
  }
  std::string upper_hex = hex;
  for (auto& c : upper_hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(check_signature(key, body, hex));
  EXPECT_TRUE(check_signature(key, body, upper_hex));
  EXPECT_TRUE(check_signature(key, body, "sha256=" + hex));

  // RFC 4231 test case 2 in base64 form.
  EXPECT_TRUE(check_signature("Jefe", "what do ya want for nothing?",
                              "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="));

  std::string tampered = hex;
  tampered[0] = tampered[0] == 'a' ? 'b' : 'a';
  for (auto sig : {std::optional<std::string>{}, std::optional<std::string>{""},
                   std::optional<std::string>{tampered}, std::optional<std::string>{"zz"},
                   std::optional<std::string>{hex.substr(0, 62)}}) {
    auto r = check_signature(key, body, sig ? std::optional<std::string_view>(*sig) : std::nullopt);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::errc::unauthorized);
  }
  EXPECT_FALSE(check_signature(key, body + " ", hex)) << "the body changed";
}

}  // namespace
}  // namespace intake::channels::sms
