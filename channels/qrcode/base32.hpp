#pragma once
// RFC 4648 base32 without padding. QR codes carry upper-case letters and digits in their
// alphanumeric mode at 5.5 bits a character, against 8 for bytes, so a base32 token makes a
// smaller code than base64 of the same data.
#include <optional>
#include <string>
#include <string_view>

namespace intake::channels::qrcode {

std::string base32_encode(std::string_view bytes);
/// Nothing when a character is outside the alphabet or the trailing bits are not zero.
std::optional<std::string> base32_decode(std::string_view text);

}  // namespace intake::channels::qrcode
