#pragma once
// The collector's own session for a mini-program client: after one wx.login code exchange the
// client holds a short-lived token, HMAC-signed with a key of the collector, that names its
// openid, so later calls need no round trip to WeChat. Bearer semantics: never logged.
#include <chrono>
#include <string>
#include <string_view>

#include "common/core/clock.hpp"
#include "common/core/result.hpp"

namespace intake::channels::miniprogram {

class session_tokens {
 public:
  session_tokens(std::string key, std::chrono::seconds lifetime);

  /// "v1.<openid>.<expiry unix seconds>.<hex HMAC-SHA256>".
  std::string issue(std::string_view openid, core::sys_time now) const;

  /// The openid of a token we issued that has not expired. Errors: unauthorized.
  core::result<std::string> verify(std::string_view token, core::sys_time now) const;

  /// A stable tag of an openid under the key: marks the requests it made without storing it.
  std::string owner_tag(std::string_view openid) const;

  std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  std::string mac(std::string_view openid, std::string_view expiry) const;

  std::string key_;
  std::chrono::seconds lifetime_;
};

/// WeChat openids are 28 characters of [A-Za-z0-9_-]; anything else is refused before use.
bool is_plausible_openid(std::string_view openid);

}  // namespace intake::channels::miniprogram
