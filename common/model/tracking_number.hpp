#pragma once
// Tracking numbers: what a citizen is given to follow up a submission, often read out over the
// phone. 60 bits (region, node, serial) in 12 Crockford base32 symbols plus a Luhn mod 32 check
// symbol, written XXXX-XXXX-XXXX-C. Unique across collectors because region + node identify the
// collector and the serial is unique within it.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::model {

/// Largest region code (GB/T 2260 codes are six decimal digits).
inline constexpr std::uint32_t max_tracking_region = 999999;

struct tracking_parts {
  std::uint32_t region;  // GB/T 2260 code, 0..max_tracking_region
  std::uint8_t node;     // collector within the region
  std::uint32_t serial;  // unique per collector

  friend bool operator==(const tracking_parts&, const tracking_parts&) = default;
};

/// The canonical 16-character form, e.g. "3BDG-0400-0001-F" (region 110000, node 1, serial 1).
/// Precondition: region <= max_tracking_region (validated with the configuration at startup).
std::string make_tracking_number(std::uint32_t region, std::uint8_t node, std::uint32_t serial);

/// Reads a tracking number as a citizen or operator may type it: any case, hyphens and spaces
/// anywhere or nowhere, O read as 0 and I/L as 1. Wrong length, a symbol outside the alphabet,
/// a check symbol that does not match or a region above max_tracking_region give
/// errc::invalid_field.
core::result<tracking_parts> parse_tracking_number(std::string_view text);

/// parse_tracking_number, then the canonical form: the one to store and compare.
core::result<std::string> canonical_tracking_number(std::string_view text);

}  // namespace intake::model
