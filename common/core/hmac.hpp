#pragma once
// Keyed hashes and their comparison, in one place for every signature the collector makes or
// checks (submitter refs, media URLs, page tokens, gateway webhooks, QR codes).
#include <string>
#include <string_view>

namespace intake::core {

/// HMAC-SHA256 of `data` under `key`: 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);

/// SHA-256 of `data`: 32 raw bytes.
std::string sha256(std::string_view data);

/// SHA-1 of `data`: 20 raw bytes. Only for peers that define their signatures with it (WeChat's
/// server signatures); never for anything of our own.
std::string sha1(std::string_view data);

/// Lower-case hexadecimal of raw bytes.
std::string to_hex(std::string_view bytes);

/// Compares in time that depends only on the lengths, so a forger learns nothing from timing.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace intake::core
