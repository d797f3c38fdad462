#pragma once
// Where a submission is about, as keys that link reports of one place from different people.
#include <string>
#include <string_view>
#include <vector>

#include "common/model/raw_submission.hpp"

namespace intake::dedup {

/// Folded addresses shorter than this (in code points) name no place precisely enough to link
/// strangers' reports: "家里", "本村".
inline constexpr std::size_t min_address_chars = 4;

/// The place keys of a normalized location, most specific first: "asset:" + asset_id and
/// "address_id:" + address_id (ASCII lower-cased: a QR sticker and a typed code must agree),
/// then "address:" + the script-folded address_string (traditional → simplified, lower case, no
/// spaces or punctuation, so "某路12号" and "某路 12 號" agree). Empty when none is given.
std::vector<std::string> place_keys(const model::raw_location& location);

/// The folded address of an "address:" place key; empty for any other key.
std::string_view address_of(std::string_view place_key);

}  // namespace intake::dedup
