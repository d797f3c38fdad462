#pragma once
// UTF-8 encoding of one code point, for decoders that build text from other encodings (GSM 7-bit,
// UTF-16, character references).
#include <string>

namespace intake::core {

/// Appends `cp` as UTF-8; a value that is not a Unicode scalar value (a surrogate, or above
/// U+10FFFF) becomes U+FFFD, so the output is always valid UTF-8.
void append_utf8(std::string& out, char32_t cp);

}  // namespace intake::core
