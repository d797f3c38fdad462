#pragma once
// An attachment sealed to the centre's key, as the media store keeps it on disk and the /media
// route serves it. One line in clear names the format and the media type (the event lists the
// type in clear anyway), then comes the libsodium sealed box (crypto_box_seal) of the exact
// bytes the citizen sent:
//
//   intake-edge-sealed-media/1 image/jpeg\n<box: 48 + size bytes>
//
// A stolen disk, or anyone between the collector and the centre, learns the type and the size
// of a photo, never its content. The file name stays the sha256 of the clear bytes, so the same
// photo sent twice is still stored once.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.hpp"
#include "common/privacy/box_keys.hpp"

namespace intake::media {

/// The Content-Type of a sealed file served by GET /media/{sha256}.
inline constexpr std::string_view sealed_media_content_type =
    "application/vnd.intake-edge.sealed-media";

/// What the clear line of a sealed file says.
struct sealed_media_header {
  std::string media_type;
  /// Bytes of the header line, newline included: the box starts there.
  std::size_t length = 0;
};

/// The header line of a sealed file, from its first bytes (at least the first 128, when the
/// file has them); nothing when the bytes do not start like a sealed file.
std::optional<sealed_media_header> read_sealed_media_header(std::string_view file_start);

/// How large the sealed file of `plain_size` bytes of `media_type` is.
std::uint64_t sealed_media_size(std::string_view media_type, std::uint64_t plain_size);

/// The sealed file of `bytes`. errc::internal when the key cannot be sealed to.
core::result<std::string> seal_media(std::string_view bytes, std::string_view media_type,
                                     const privacy::public_key& recipient);

struct opened_media {
  std::string media_type;
  std::string bytes;
};

/// Opens a sealed file with the centre's key pair. errc::invalid_field when it is not a sealed
/// file, was cut short or altered, or was sealed to another key.
core::result<opened_media> open_sealed_media(std::string_view file, const privacy::key_pair& keys);

}  // namespace intake::media
