#pragma once
// The centre's X25519 key pair (libsodium crypto_box) that personal data is sealed to. Key files
// hold one line: the 32-byte key in standard base64 (44 characters, what `intakectl keys
// generate` writes); 64 hex digits are read too, for keys made with other tools.
#include <sodium.h>

#include <array>
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::privacy {

/// The recipient's public key: the collector needs only this to seal.
struct public_key {
  std::array<unsigned char, crypto_box_PUBLICKEYBYTES> bytes{};
};

/// The recipient's secret key: only the centre (and tests) hold it. Wiped when destroyed.
class secret_key {
 public:
  secret_key() = default;
  ~secret_key() { sodium_memzero(bytes_.data(), bytes_.size()); }
  secret_key(const secret_key&) = default;
  secret_key& operator=(const secret_key&) = default;

  unsigned char* data() { return bytes_.data(); }
  const unsigned char* data() const { return bytes_.data(); }
  static constexpr std::size_t size() { return crypto_box_SECRETKEYBYTES; }

 private:
  std::array<unsigned char, crypto_box_SECRETKEYBYTES> bytes_{};
};

struct key_pair {
  public_key pub;
  secret_key sec;
};

/// Initialises libsodium once (thread-safe); false when it cannot be used.
bool sodium_ready();

/// A fresh key pair from crypto_box_keypair.
core::result<key_pair> generate_key_pair();

/// The public key that belongs to `sec` (X25519 base-point multiplication).
public_key public_key_of(const secret_key& sec);

/// Standard base64 with padding (sodium_base64_VARIANT_ORIGINAL).
std::string to_base64(const unsigned char* data, std::size_t size);

/// The key file text: base64 of the key and a newline.
std::string format_key(const public_key& key);
std::string format_key(const secret_key& key);

/// Parses base64 (44 characters) or hex (64 digits); surrounding white space is ignored.
/// Errors are errc::invalid_field and never quote the text (it may be a secret).
core::result<public_key> parse_public_key(std::string_view text);
core::result<secret_key> parse_secret_key(std::string_view text);

/// Reads and parses a key file; the error names the file, not its contents.
core::result<public_key> read_public_key_file(const std::string& path);
core::result<secret_key> read_secret_key_file(const std::string& path);

/// Writes PREFIX.key (mode 0600) and PREFIX.pub (0644), each fsynced. Refuses to replace an
/// existing file unless `overwrite`: losing the centre's secret key loses every sealed event.
core::result<void> write_key_pair(const std::string& prefix, const key_pair& keys,
                                  bool overwrite = false);

}  // namespace intake::privacy
