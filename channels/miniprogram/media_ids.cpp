#include "channels/miniprogram/media_ids.hpp"

#include "common/core/hmac.hpp"
#include "common/media/media_store.hpp"

namespace intake::channels::miniprogram {

std::string media_ids::tag(std::string_view openid, std::string_view sha256_hex) const {
  return core::to_hex(core::hmac_sha256(
                          key_, "mp-media|" + std::string(openid) + "|" + std::string(sha256_hex)))
      .substr(0, 16);
}

std::string media_ids::id_for(std::string_view openid, std::string_view sha256_hex) const {
  return std::string(sha256_hex) + "-" + tag(openid, sha256_hex);
}

core::result<std::string> media_ids::hash_of(std::string_view openid,
                                             std::string_view media_id) const {
  const auto dash = media_id.find('-');
  if (dash == std::string_view::npos) {
    return core::fail(core::errc::invalid_field, "media id is malformed");
  }
  const auto hash = media_id.substr(0, dash);
  if (!media::is_sha256_hex(hash) ||
      !core::constant_time_equal(media_id.substr(dash + 1), tag(openid, hash))) {
    return core::fail(core::errc::invalid_field, "media id was not issued to this user");
  }
  return std::string(hash);
}

}  // namespace intake::channels::miniprogram
