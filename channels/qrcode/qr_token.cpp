#include "channels/qrcode/qr_token.hpp"

#include <sodium.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "channels/qrcode/base32.hpp"
#include "common/core/hmac.hpp"

namespace intake::channels::qrcode {

namespace {

constexpr unsigned char token_version = 1;
constexpr std::size_t id_bytes = 5;
constexpr std::size_t signature_bytes = 16;
constexpr unsigned char has_position = 1;
constexpr unsigned char has_service = 2;
constexpr std::size_t max_token_chars = 600;

std::string signature(const std::string& key, std::string_view payload) {
  return core::hmac_sha256(key, std::string("intake-qr-v1\n").append(payload))
      .substr(0, signature_bytes);
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

core::result<void> put_text(std::string& out, std::string_view text, std::size_t max,
                            std::string_view what) {
  if (text.size() > max) {
    return core::fail(core::errc::invalid_field,
                      std::string(what) + " is longer than " + std::to_string(max) + " bytes");
  }
  out += static_cast<char>(text.size());
  out.append(text);
  return {};
}

// Reads fields off the front of a payload; any read past the end marks it truncated.
struct reader {
  std::string_view rest;
  bool truncated = false;

  std::string_view take(std::size_t n) {
    if (rest.size() < n) {
      truncated = true;
      rest = {};
      return {};
    }
    auto out = rest.substr(0, n);
    rest.remove_prefix(n);
    return out;
  }
  unsigned char byte() {
    auto b = take(1);
    return b.empty() ? 0 : static_cast<unsigned char>(b[0]);
  }
  std::int32_t i32() {
    auto b = take(4);
    if (b.size() != 4) return 0;
    std::uint32_t v = 0;
    for (const unsigned char c : b) v = (v << 8) | c;
    return static_cast<std::int32_t>(v);
  }
  std::string text() { return std::string(take(byte())); }
};

}  // namespace

bool is_token_id(std::string_view id) {
  return id.size() == 8 && base32_decode(id).has_value();
}

std::string new_token_id() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  unsigned char raw[id_bytes];
  randombytes_buf(raw, sizeof raw);
  return base32_encode(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw));
}

qr_signer::qr_signer(std::string key) : key_(std::move(key)) {
  if (key_.size() < 16) throw std::invalid_argument("QR code key is shorter than 16 bytes");
}

core::result<std::string> qr_signer::issue(const qr_asset& asset, std::string_view id) const {
  if (!is_token_id(id)) return core::fail(core::errc::invalid_field, "not a token id");
  if (asset.asset_id.empty()) return core::fail(core::errc::invalid_field, "asset id is empty");
  if (asset.address.empty()) return core::fail(core::errc::invalid_field, "address is empty");
  if (asset.lat.has_value() != asset.lon.has_value()) {
    return core::fail(core::errc::invalid_field, "lat and long go together");
  }
  if (asset.lat && (!std::isfinite(*asset.lat) || std::fabs(*asset.lat) > 90.0 ||
                    !std::isfinite(*asset.lon) || std::fabs(*asset.lon) > 180.0)) {
    return core::fail(core::errc::invalid_field, "lat must be within ±90 and long within ±180");
  }
  std::string payload;
  payload += static_cast<char>(token_version);
  payload += *base32_decode(id);
  unsigned char flags = 0;
  if (asset.lat) flags |= has_position;
  if (asset.service_code) flags |= has_service;
  payload += static_cast<char>(flags);
  if (asset.lat) {
    put_u32(payload,
            static_cast<std::uint32_t>(static_cast<std::int32_t>(std::lround(*asset.lat * 1e6))));
    put_u32(payload,
            static_cast<std::uint32_t>(static_cast<std::int32_t>(std::lround(*asset.lon * 1e6))));
  }
  if (auto r = put_text(payload, asset.asset_id, 64, "asset id"); !r)
    return tl::unexpected(r.error());
  if (auto r = put_text(payload, asset.address, 255, "address"); !r)
    return tl::unexpected(r.error());
  if (asset.service_code) {
    if (asset.service_code->empty()) {
      return core::fail(core::errc::invalid_field, "service code is empty");
    }
    if (auto r = put_text(payload, *asset.service_code, 64, "service code"); !r) {
      return tl::unexpected(r.error());
    }
  }
  return base32_encode(payload + signature(key_, payload));
}

core::result<qr_token> qr_signer::verify(std::string_view token) const {
  const auto invalid = [] {
    return core::fail(core::errc::bad_request, "this QR code is not valid");
  };
  if (token.size() > max_token_chars) return invalid();
  const auto bytes = base32_decode(token);
  if (!bytes || bytes->size() < 1 + id_bytes + 1 + signature_bytes) return invalid();
  const std::string_view payload(bytes->data(), bytes->size() - signature_bytes);
  const std::string_view sig(bytes->data() + payload.size(), signature_bytes);
  // The signature first: nothing of an unsigned token is parsed.
  if (!core::constant_time_equal(signature(key_, payload), sig)) return invalid();

  reader in{payload};
  if (in.byte() != token_version) return invalid();
  qr_token out;
  out.id = base32_encode(in.take(id_bytes));
  const unsigned char flags = in.byte();
  if (flags & has_position) {
    out.asset.lat = in.i32() / 1e6;
    out.asset.lon = in.i32() / 1e6;
  }
  out.asset.asset_id = in.text();
  out.asset.address = in.text();
  if (flags & has_service) out.asset.service_code = in.text();
  if (in.truncated || !in.rest.empty() || (flags & ~(has_position | has_service))) {
    return invalid();
  }
  return out;
}

}  // namespace intake::channels::qrcode
