#pragma once
// libsodium sealed boxes (crypto_box_seal): anonymous encryption to the centre's X25519 public
// key. Each seal uses a fresh ephemeral key, so equal inputs give different boxes and nobody on
// the way (broker, outsourced operators, a thief of the edge's disk) can test a guess against
// them; only the holder of the secret key can open one.
#include <string>
#include <string_view>

#include "common/core/result.hpp"
#include "common/privacy/box_keys.hpp"

namespace intake::privacy {

/// The raw sealed box of `plaintext` to `recipient`: 48 bytes longer than the plaintext (the
/// ephemeral public key and the MAC). errc::internal when the key is unusable; never throws.
core::result<std::string> seal_bytes(std::string_view plaintext, const public_key& recipient);

/// Opens a raw box made by seal_bytes. A box cut short, altered or sealed to another key is
/// errc::invalid_field, with no plaintext and no key in the message.
core::result<std::string> open_bytes(std::string_view box, const key_pair& keys);

/// The sealed box of `plaintext` to `recipient`, as standard base64 with padding.
/// errc::internal when the key is unusable (a low-order point); never throws.
core::result<std::string> seal_to_base64(std::string_view plaintext, const public_key& recipient);

/// Opens a box made by seal_to_base64. A box that is not base64, is cut short, was altered or
/// was sealed to another key is errc::invalid_field, with no plaintext and no key in the message.
core::result<std::string> open_from_base64(std::string_view sealed, const key_pair& keys);

}  // namespace intake::privacy
