#include "channels/web/page_token.hpp"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "common/core/hmac.hpp"

namespace intake::channels::web {

namespace {

constexpr std::size_t nonce_hex_chars = 32;
constexpr std::size_t signature_hex_chars = 32;  // 128 bits of the HMAC

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::int64_t unix_seconds(core::sys_time t) {
  return core::to_unix_ms(t) / 1000;
}

}  // namespace

page_token_signer::page_token_signer(std::string key, std::chrono::seconds lifetime)
    : key_(std::move(key)), lifetime_(lifetime) {
  if (key_.size() < 16) throw std::runtime_error("page token key is shorter than 16 bytes");
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string page_token_signer::signature(std::string_view scope, std::string_view expiry,
                                         std::string_view nonce) const {
  std::string data = "intake-page-token\n";
  data.append(scope).append("\n").append(expiry).append("\n").append(nonce);
  return core::to_hex(core::hmac_sha256(key_, data)).substr(0, signature_hex_chars);
}

std::string page_token_signer::issue(std::string_view scope, core::sys_time now) const {
  unsigned char raw[nonce_hex_chars / 2];
  randombytes_buf(raw, sizeof raw);
  return issue(scope, now,
               core::to_hex(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw)));
}

std::string page_token_signer::issue(std::string_view scope, core::sys_time now,
                                     std::string_view nonce) const {
  const std::string expiry = std::to_string(unix_seconds(now) + lifetime_.count());
  return expiry + "." + std::string(nonce) + "." + signature(scope, expiry, nonce);
}

page_token_check page_token_signer::check(std::string_view token, std::string_view scope,
                                          core::sys_time now) const {
  page_token_check out;
  if (token.size() > 20 + 1 + nonce_hex_chars + 1 + signature_hex_chars) return out;
  const auto first = token.find('.');
  const auto second = token.find('.', first == std::string_view::npos ? 0 : first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) return out;
  const auto expiry = token.substr(0, first);
  const auto nonce = token.substr(first + 1, second - first - 1);
  const auto sig = token.substr(second + 1);
  std::int64_t expires_at = 0;
  const auto parsed = std::from_chars(expiry.data(), expiry.data() + expiry.size(), expires_at);
  if (expiry.empty() || parsed.ec != std::errc{} || parsed.ptr != expiry.data() + expiry.size() ||
      nonce.size() != nonce_hex_chars || !is_lower_hex(nonce) ||
      sig.size() != signature_hex_chars) {
    return out;
  }
  if (!core::constant_time_equal(signature(scope, expiry, nonce), sig)) return out;
  if (unix_seconds(now) > expires_at) {
    out.outcome = page_token_check::verdict::expired;
    return out;
  }
  out.outcome = page_token_check::verdict::valid;
  out.nonce = std::string(nonce);
  return out;
}

}  // namespace intake::channels::web
