#pragma once
// Stored attachments are fetched only through a URL that carries an expiry and an HMAC over the
// hash and the expiry: /media/{sha256}?exp=UNIX&sig=HEX. Knowing a photo's hash is not enough.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/core/clock.hpp"
#include "common/core/result.hpp"

namespace intake::media {

class media_url_signer {
 public:
  /// `base_url` is the collector's public base URL (no trailing slash needed).
  media_url_signer(std::string key, std::string base_url, std::chrono::seconds lifetime);

  /// The signed URL of an attachment, valid until now + lifetime.
  std::string url_for(std::string_view sha256_hex, core::sys_time now) const;

  /// Checks the `exp` and `sig` query values of a request for `sha256_hex`. Errors: forbidden
  /// (bad signature) or not_found (expired: the link is gone, not the file).
  core::result<void> verify(std::string_view sha256_hex, std::string_view exp, std::string_view sig,
                            core::sys_time now) const;

 private:
  std::string signature(std::string_view sha256_hex, std::int64_t exp) const;

  std::string key_;
  std::string base_url_;
  std::chrono::seconds lifetime_;
};

}  // namespace intake::media
