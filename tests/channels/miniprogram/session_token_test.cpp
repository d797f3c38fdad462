#include "channels/miniprogram/session_token.hpp"

#include <gtest/gtest.h>

#include "channels/miniprogram/media_ids.hpp"

namespace intake::channels::miniprogram {
namespace {

using namespace std::chrono_literals;

const core::sys_time t0{1714037059s};
constexpr std::string_view openid = "oCitizen0000000000000000001";

TEST(session_token, names_the_openid_until_it_expires) {
  session_tokens tokens("key-one", 7200s);
  const auto token = tokens.issue(openid, t0);
  struct row {
    std::chrono::seconds after;
    bool valid;
  };
  for (const auto& r : {row{0s, true}, row{7199s, true}, row{7200s, false}, row{9000s, false}}) {
    auto out = tokens.verify(token, t0 + r.after);
    EXPECT_EQ(out.has_value(), r.valid) << r.after.count();
    if (out) {
      EXPECT_EQ(*out, openid);
    } else {
      EXPECT_EQ(out.error().code, core::errc::unauthorized);
    }
  }
}

TEST(session_token, refuses_forgeries) {
  session_tokens tokens("key-one", 7200s);
  session_tokens other("key-two", 7200s);
  const auto token = tokens.issue(openid, t0);
  const auto dot = token.rfind('.');
  std::string other_user = token;
  other_user.replace(3, openid.size(), "oSomeoneElse000000000000001");
  std::string later = token;
  later.replace(token.find('.', 3) + 1, 10, "9999999999");
  std::string bad_mac = token;
  bad_mac[dot + 1] = bad_mac[dot + 1] == '0' ? '1' : '0';
  struct row {
    std::string name;
    std::string token;
  };
  const row rows[] = {
      {"empty", ""},
      {"another key's token", other.issue(openid, t0)},
      {"another user's openid", other_user},
      {"expiry pushed back", later},
      {"altered MAC", bad_mac},
      {"truncated", token.substr(0, dot)},
      {"wrong version", "v2" + token.substr(2)},
      {"openid with a dot", "v1.o.x.1.abc"},
  };
  for (const auto& r : rows) {
    auto out = tokens.verify(r.token, t0);
    ASSERT_FALSE(out) << r.name;
    EXPECT_EQ(out.error().code, core::errc::unauthorized) << r.name;
  }
}

TEST(media_ids, bind_a_photo_to_its_uploader) {
  media_ids ids("key-one");
  const std::string hash(64, 'a');
  const auto id = ids.id_for(openid, hash);
  auto back = ids.hash_of(openid, id);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, hash);
  EXPECT_FALSE(ids.hash_of("oSomeoneElse000000000000001", id));
  EXPECT_FALSE(ids.hash_of(openid, hash));
  EXPECT_FALSE(ids.hash_of(openid, "zz-" + id.substr(id.find('-') + 1)));
}

}  // namespace
}  // namespace intake::channels::miniprogram
