#include "common/media/media_url.hpp"

#include <charconv>

#include "common/core/hmac.hpp"

namespace intake::media {

media_url_signer::media_url_signer(std::string key, std::string base_url,
                                   std::chrono::seconds lifetime)
    : key_(std::move(key)), base_url_(std::move(base_url)), lifetime_(lifetime) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

std::string media_url_signer::signature(std::string_view sha256_hex, std::int64_t exp) const {
  // The path's purpose is part of the signed text, so a media signature cannot be replayed as
  // any other token signed with the same key.
  std::string text = "media:";
  text += sha256_hex;
  text += ':';
  text += std::to_string(exp);
  return core::to_hex(core::hmac_sha256(key_, text));
}

std::string media_url_signer::url_for(std::string_view sha256_hex, core::sys_time now) const {
  const auto exp =
      std::chrono::duration_cast<std::chrono::seconds>((now + lifetime_).time_since_epoch())
          .count();
  return base_url_ + "/media/" + std::string(sha256_hex) + "?exp=" + std::to_string(exp) +
         "&sig=" + signature(sha256_hex, exp);
}

core::result<void> media_url_signer::verify(std::string_view sha256_hex, std::string_view exp,
                                            std::string_view sig, core::sys_time now) const {
  std::int64_t expires = 0;
  const auto parsed = std::from_chars(exp.data(), exp.data() + exp.size(), expires);
  if (parsed.ec != std::errc() || parsed.ptr != exp.data() + exp.size()) {
    return core::fail(core::errc::forbidden, "the media link is not valid");
  }
  if (!core::constant_time_equal(signature(sha256_hex, expires), sig)) {
    return core::fail(core::errc::forbidden, "the media link is not valid");
  }
  const auto now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (now_s > expires) return core::fail(core::errc::not_found, "the media link has expired");
  return {};
}

}  // namespace intake::media
