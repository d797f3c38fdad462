#pragma once
// Phone numbers as citizens write them, reduced to one E.164 form so the same caller is
// recognised whatever the punctuation, and masked for display.
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::normalize {

/// Normalizes a mainland China mobile (11 digits, 1[3-9]...) or landline number with area code
/// to E.164 without separators, e.g. "+8613800138000", "+8675587654321". Accepts +86 / 0086 / 86
/// prefixes, a trunk 0, full-width characters, spaces, hyphens, dots and parentheses; an
/// extension after "-", "转", "分机" or "ext" is dropped. Anything else is errc::invalid_phone.
core::result<std::string> normalize_phone(std::string_view in);

/// Display form of a normalized number: "138****8000" for mobiles, "0755****4321" for
/// landlines (area code with trunk 0, last four digits). Unrecognised input gives "****".
std::string mask_phone(std::string_view normalized);

/// The first mobile number written in free text (e-mail bodies, SMS), normalized. Digits inside
/// a longer number (an ID card, an order number) are not taken for a phone.
std::optional<std::string> find_phone_in_text(std::string_view text);

}  // namespace intake::normalize
