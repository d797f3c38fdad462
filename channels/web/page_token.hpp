#pragma once
// The token every form page carries in a hidden field: `{expiry}.{nonce}.{hmac}`. A post without
// a token this collector signed for this page (a cross-site post, a forged or edited one) is
// refused, an old page is asked to be sent again, and the nonce becomes the submission's
// idempotency key: a second press of the button, or a reload of the POST, carries the same
// nonce and gets the first receipt instead of a second request.
#include <chrono>
#include <string>
#include <string_view>

#include "common/core/clock.hpp"

namespace intake::channels::web {

struct page_token_check {
  enum class verdict { valid, expired, invalid };
  verdict outcome = verdict::invalid;
  /// The token's nonce when it is valid (32 hexadecimal digits).
  std::string nonce;
};

class page_token_signer {
 public:
  /// `key` of at least 16 bytes; tokens live for `lifetime`.
  page_token_signer(std::string key, std::chrono::seconds lifetime);

  /// A fresh token (new random nonce) for a page of `scope` (the form's path, a QR token id).
  std::string issue(std::string_view scope, core::sys_time now) const;
  /// The same, with a given nonce (tests).
  std::string issue(std::string_view scope, core::sys_time now, std::string_view nonce) const;

  /// Valid only for the scope it was issued for, until its expiry. A token whose signature does
  /// not match is invalid even when it has also expired.
  page_token_check check(std::string_view token, std::string_view scope, core::sys_time now) const;

  std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  std::string signature(std::string_view scope, std::string_view expiry,
                        std::string_view nonce) const;

  std::string key_;
  std::chrono::seconds lifetime_;
};

}  // namespace intake::channels::web
