#include "common/core/hmac.hpp"

#include <gtest/gtest.h>

namespace intake::core {
namespace {

TEST(hmac, matches_rfc4231_and_fips_vectors) {
  // RFC 4231 test case 2.
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // FIPS 180-2 "abc".
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // FIPS 180-1 "abc".
  EXPECT_EQ(to_hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(hmac, constant_time_equal_compares_whole_values) {
  struct row {
    std::string_view a, b;
    bool equal;
  };
  for (const row& r : {row{"", "", true}, row{"abc", "abc", true}, row{"abc", "abd", false},
                       row{"abc", "ab", false}, row{"ab", "abc", false}}) {
    EXPECT_EQ(constant_time_equal(r.a, r.b), r.equal) << r.a << " vs " << r.b;
  }
}

}  // namespace
}  // namespace intake::core
