#pragma once
// Everything a page echoes back (what the citizen typed, file names, a token's place text) goes
// through escape_html, in text and in attribute values alike.
#include <string>
#include <string_view>

namespace intake::channels::web {

/// Replaces & < > " ' with character references, so the text can sit in element content or in a
/// quoted attribute value without ending it.
std::string escape_html(std::string_view text);

}  // namespace intake::channels::web
