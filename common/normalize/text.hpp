#pragma once
// Text normalization for what citizens type: one canonical form to store and forward, and a
// second, lossy form used only to match and deduplicate.
#include <cstddef>
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::normalize {

/// Validates UTF-8 (errc::invalid_utf8 on overlong forms, surrogates, code points above
/// U+10FFFF or truncated sequences), applies NFKC, then folds white space: every control
/// character (C0/C1, including tab and newlines), every Unicode space separator (U+3000, U+00A0,
/// ...), line/paragraph separators and zero-width characters (U+200B..U+200D, U+2060, U+FEFF)
/// count as white space; each run becomes one ASCII space and both ends are trimmed.
/// Idempotent: normalizing the result again returns it unchanged.
core::result<std::string> normalize_text(std::string_view in);

/// Number of code points in valid UTF-8 (what field length limits count).
std::size_t count_chars(std::string_view utf8);

/// The script-folded form of normalized text, for matching and dedup only (never forwarded):
/// traditional Chinese converted to simplified (OpenCC t2s), ASCII lower-cased, and all white
/// space, punctuation (P*), symbols (S*), controls and format characters removed.
/// If OpenCC is unavailable the script conversion is skipped; see script_folding_available().
std::string fold_for_matching(std::string_view normalized);

/// Whether OpenCC's t2s conversion could be loaded on this thread; meant as a startup check so a
/// missing OpenCC data package fails fast instead of silently weakening dedup.
bool script_folding_available();

}  // namespace intake::normalize
