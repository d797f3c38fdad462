#include "channels/web/page_token.hpp"

#include <gtest/gtest.h>

namespace intake::channels::web {
namespace {

using namespace std::chrono_literals;
using verdict = page_token_check::verdict;

const std::string nonce = "0123456789abcdef0123456789abcdef";

TEST(page_token, issued_token_is_valid_and_carries_its_nonce) {
  const page_token_signer signer("0123456789abcdef-page-key", 2h);
  const auto now = core::system_now();
  const auto token = signer.issue("/form", now, nonce);
  const auto check = signer.check(token, "/form", now + 1h);
  EXPECT_EQ(check.outcome, verdict::valid);
  EXPECT_EQ(check.nonce, nonce);
}

TEST(page_token, fresh_tokens_differ) {
  const page_token_signer signer("0123456789abcdef-page-key", 2h);
  const auto now = core::system_now();
  const auto a = signer.issue("/form", now);
  const auto b = signer.issue("/form", now);
  EXPECT_NE(a, b);
  EXPECT_NE(signer.check(a, "/form", now).nonce, signer.check(b, "/form", now).nonce);
}

TEST(page_token, table) {
  const page_token_signer signer("0123456789abcdef-page-key", 2h);
  const page_token_signer other_key("fedcba9876543210-other-key", 2h);
  const auto now = core::system_now();
  const auto token = signer.issue("/form", now, nonce);
  const auto first_dot = token.find('.');
  const auto last_dot = token.rfind('.');
  auto flip = [](std::string s, std::size_t at) {
    s[at] = s[at] == 'a' ? 'b' : 'a';
    return s;
  };
  struct token_case {
    std::string name;
    std::string token;
    std::string scope;
    core::sys_time at;
    verdict expected;
  };
  const std::vector<token_case> cases = {
      {"valid", token, "/form", now, verdict::valid},
      {"at the last second", token, "/form", now + 2h, verdict::valid},
      {"expired", token, "/form", now + 2h + 1s, verdict::expired},
      {"another page's scope", token, "qr:ABCDEFGH", now, verdict::invalid},
      {"signed by another key", other_key.issue("/form", now, nonce), "/form", now,
       verdict::invalid},
      {"nonce altered", flip(token, first_dot + 1), "/form", now, verdict::invalid},
      {"signature altered", flip(token, token.size() - 1), "/form", now, verdict::invalid},
      {"expiry pushed back",
       std::to_string(std::stoll(token.substr(0, first_dot)) + 86400) + token.substr(first_dot),
       "/form", now + 3h, verdict::invalid},
      {"expired and forged", flip(token, token.size() - 1), "/form", now + 3h, verdict::invalid},
      {"signature cut", token.substr(0, token.size() - 2), "/form", now, verdict::invalid},
      {"no signature", token.substr(0, last_dot), "/form", now, verdict::invalid},
      {"empty", "", "/form", now, verdict::invalid},
      {"dots only", "..", "/form", now, verdict::invalid},
      {"upper-case nonce",
       token.substr(0, first_dot + 1) + "0123456789ABCDEF0123456789ABCDEF" + token.substr(last_dot),
       "/form", now, verdict::invalid},
      {"negative expiry", "-1." + nonce + token.substr(last_dot), "/form", now, verdict::invalid},
      {"very long", std::string(5000, 'a'), "/form", now, verdict::invalid},
  };
  for (const auto& c : cases) {
    const auto check = signer.check(c.token, c.scope, c.at);
    EXPECT_EQ(check.outcome, c.expected) << c.name;
    if (c.expected != verdict::valid) {
      EXPECT_TRUE(check.nonce.empty()) << c.name;
    }
  }
}

TEST(page_token, short_key_is_refused_at_startup) {
  EXPECT_THROW(page_token_signer("short", 2h), std::runtime_error);
}

}  // namespace
}  // namespace intake::channels::web
