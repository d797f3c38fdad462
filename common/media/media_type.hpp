#pragma once
// The type of an upload is read from its first bytes, never from its name or the client's
// Content-Type: a script renamed photo.jpg is still refused.
#include <optional>
#include <string_view>

namespace intake::media {

/// "image/jpeg", "image/png", "image/heic", "image/webp", "image/gif" or "application/pdf"
/// when the bytes start like one of them; nothing otherwise.
std::optional<std::string_view> sniff_media_type(std::string_view bytes);

}  // namespace intake::media
