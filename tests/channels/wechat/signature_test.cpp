#include "channels/wechat/signature.hpp"

#include <gtest/gtest.h>

namespace intake::channels::wechat {
namespace {

// Values from WeChat's documentation (消息推送 / 消息加解密说明, Token "AAAAA"), and from the
// safe-mode fixture of message_crypto_test (computed independently in Python).
TEST(wechat_signature, matches_the_published_examples) {
  struct row {
    std::vector<std::string_view> parts;
    std::string_view expected;
  };
  const row rows[] = {
      // Server URL verification: echostr 4375120948345356249.
      {{"AAAAA", "1714036504", "1514711492"}, "f464b24fc39322e44b38aa78f5edd27bd1441696"},
      // Plain-mode push.
      {{"AAAAA", "1714037059", "486452656"}, "899cf89e464efb63f54ddac96b0a0a235f53aa78"},
      // Order of the parts does not matter: they are sorted.
      {{"486452656", "AAAAA", "1714037059"}, "899cf89e464efb63f54ddac96b0a0a235f53aa78"},
      {{"pamtest", "1409304348", "xxxxxx"}, "76480565cbe296026c53aaacd1ad523a1ddba24f"},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(wechat_signature(r.parts), r.expected);
    EXPECT_TRUE(signature_matches(r.expected, r.parts));
  }
}

TEST(wechat_signature, refuses_anything_else) {
  const std::vector<std::string_view> parts = {"AAAAA", "1714037059", "486452656"};
  EXPECT_TRUE(signature_matches("899CF89E464EFB63F54DDAC96B0A0A235F53AA78", parts));
  for (std::string_view forged : {"", "899cf89e", "899cf89e464efb63f54ddac96b0a0a235f53aa79",
                                  "f464b24fc39322e44b38aa78f5edd27bd1441696"}) {
    EXPECT_FALSE(signature_matches(forged, parts)) << forged;
  }
  EXPECT_FALSE(signature_matches("899cf89e464efb63f54ddac96b0a0a235f53aa78",
                                 {"AAAAB", "1714037059", "486452656"}));
}

}  // namespace
}  // namespace intake::channels::wechat
