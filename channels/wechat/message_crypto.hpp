#pragma once
// Safe mode ("安全模式") of the official account: AES-256-CBC with key = base64(EncodingAESKey
// + "="), IV = the key's first 16 bytes, PKCS#7 padding to 32-byte blocks, over
// random(16) + length(4, network order) + message + appid, sent as base64.
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::channels::wechat {

class message_crypto {
 public:
  /// `encoding_aes_key` is the 43 characters configured on WeChat's platform. Errors:
  /// invalid_field when it is not 43 base64 characters.
  static core::result<message_crypto> create(std::string_view encoding_aes_key, std::string appid);

  /// The base64 Encrypt text of `message`, with `random16` as the 16-byte prefix (fresh random
  /// bytes when empty).
  std::string encrypt(std::string_view message, std::string_view random16 = {}) const;

  /// The message inside an Encrypt text. Errors (forbidden): not base64, not whole blocks, bad
  /// padding or length, or an appid other than ours.
  core::result<std::string> decrypt(std::string_view encrypt_base64) const;

  const std::string& appid() const { return appid_; }

 private:
  message_crypto(std::string key, std::string appid)
      : key_(std::move(key)), appid_(std::move(appid)) {}

  std::string key_;  // 32 bytes
  std::string appid_;
};

/// Standard base64 with padding, and its strict inverse (nothing for bad input).
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace intake::channels::wechat
