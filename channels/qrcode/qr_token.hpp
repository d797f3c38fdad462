#pragma once
// The token of a scan-to-report code: the facility's data and an HMAC over it, in base32, so
// the collector needs no database of codes and a printed code cannot be edited to report
// another place. Layout (bytes, before base32):
//   version(1) id(5) flags(1) [lat(4) long(4), micro-degrees, big-endian]
//   asset_id(1+n) address(1+n) [service_code(1+n)] hmac(16)
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::channels::qrcode {

struct qr_asset {
  std::string asset_id;
  std::string address;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<std::string> service_code;
};

struct qr_token {
  /// 8 base32 characters: what `intakectl qr revoke` names and events carry as source_ref.
  std::string id;
  qr_asset asset;
};

/// True for a well-formed token id (8 characters of the base32 alphabet).
bool is_token_id(std::string_view id);

/// A new random token id.
std::string new_token_id();

class qr_signer {
 public:
  /// `key` of at least 16 bytes. Throws std::invalid_argument otherwise (startup only).
  explicit qr_signer(std::string key);

  /// The token of `asset` with id `id`. Errors (invalid_field): an empty or over-long asset id
  /// (64 bytes), address (255 bytes) or service code (64 bytes), lat/long out of range or given
  /// alone, an id that is not a token id.
  core::result<std::string> issue(const qr_asset& asset, std::string_view id) const;

  /// Decodes and checks a token. Errors (bad_request): not base32, cut short, trailing bytes,
  /// an unknown version or a signature that does not match.
  core::result<qr_token> verify(std::string_view token) const;

 private:
  std::string key_;
};

}  // namespace intake::channels::qrcode
