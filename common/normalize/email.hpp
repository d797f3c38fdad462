#pragma once
// E-mail addresses reduced to one comparable form, and masked for display.
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::normalize {

/// Trims, applies NFKC (so a full-width "＠" typed with a Chinese IME counts), lower-cases the
/// whole address and checks its shape: exactly one "@", a local part of 1..64 bytes, a domain
/// with at least one dot and well-formed labels, no white space, at most 254 bytes in all.
/// Anything else is errc::invalid_email.
core::result<std::string> normalize_email(std::string_view in);

/// Display form of a normalized address: "zhangsan@example.cn" → "z***@example.cn".
/// Unrecognised input gives "***".
std::string mask_email(std::string_view normalized);

}  // namespace intake::normalize
