#pragma once
// The media id a client gets for an uploaded photo: the content hash plus a tag binding it to
// the uploader's openid, so one client cannot attach another's photo by guessing its id.
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::channels::miniprogram {

class media_ids {
 public:
  explicit media_ids(std::string key) : key_(std::move(key)) {}

  /// "<sha256 hex>-<16 hex tag>".
  std::string id_for(std::string_view openid, std::string_view sha256_hex) const;

  /// The content hash behind an id issued to `openid`. Errors: invalid_field.
  core::result<std::string> hash_of(std::string_view openid, std::string_view media_id) const;

 private:
  std::string tag(std::string_view openid, std::string_view sha256_hex) const;
  std::string key_;
};

}  // namespace intake::channels::miniprogram
