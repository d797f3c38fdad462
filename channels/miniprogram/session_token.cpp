#include "channels/miniprogram/session_token.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>

#include "common/core/hmac.hpp"

namespace intake::channels::miniprogram {

namespace {
tl::unexpected<core::error> refused(const char* why) {
  return core::fail(core::errc::unauthorized, why);
}
}  // namespace

bool is_plausible_openid(std::string_view openid) {
  if (openid.empty() || openid.size() > 64) return false;
  for (char c : openid) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

session_tokens::session_tokens(std::string key, std::chrono::seconds lifetime)
    : key_(std::move(key)), lifetime_(lifetime) {}

std::string session_tokens::mac(std::string_view openid, std::string_view expiry) const {
  // A prefix keeps these MACs apart from anything else signed with the same key.
  return core::to_hex(
      core::hmac_sha256(key_, "mp-session|" + std::string(openid) + "|" + std::string(expiry)));
}

std::string session_tokens::issue(std::string_view openid, core::sys_time now) const {
  const auto expiry = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>((now + lifetime_).time_since_epoch())
          .count());
  return "v1." + std::string(openid) + "." + expiry + "." + mac(openid, expiry);
}

core::result<std::string> session_tokens::verify(std::string_view token, core::sys_time now) const {
  if (token.size() > 256 || token.substr(0, 3) != "v1.") return refused("malformed session token");
  const std::string_view rest = token.substr(3);
  const auto dot1 = rest.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : rest.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return refused("malformed session token");
  const auto openid = rest.substr(0, dot1);
  const auto expiry = rest.substr(dot1 + 1, dot2 - dot1 - 1);
  const auto signature = rest.substr(dot2 + 1);
  if (!is_plausible_openid(openid)) return refused("malformed session token");
  if (!core::constant_time_equal(signature, mac(openid, expiry))) {
    return refused("the session token is not ours");
  }
  std::int64_t exp = 0;
  auto [p, ec] = std::from_chars(expiry.data(), expiry.data() + expiry.size(), exp);
  if (ec != std::errc() || p != expiry.data() + expiry.size()) {
    return refused("malformed session token");
  }
  if (std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() >= exp) {
    return refused("the session token has expired; log in again");
  }
  return std::string(openid);
}

std::string session_tokens::owner_tag(std::string_view openid) const {
  return core::to_hex(core::hmac_sha256(key_, "mp-owner|" + std::string(openid))).substr(0, 32);
}

}  // namespace intake::channels::miniprogram
