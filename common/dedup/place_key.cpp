#include "common/dedup/place_key.hpp"

#include <algorithm>

#include "common/normalize/text.hpp"

namespace intake::dedup {

namespace {

std::string ascii_lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return s;
}

}  // namespace

std::vector<std::string> place_keys(const model::raw_location& location) {
  std::vector<std::string> keys;
  if (location.asset_id && !location.asset_id->empty())
    keys.push_back("asset:" + ascii_lower(*location.asset_id));
  if (location.address_id && !location.address_id->empty())
    keys.push_back("address_id:" + ascii_lower(*location.address_id));
  if (location.address_string) {
    const std::string folded = normalize::fold_for_matching(*location.address_string);
    if (normalize::count_chars(folded) >= min_address_chars) keys.push_back("address:" + folded);
  }
  return keys;
}

std::string_view address_of(std::string_view place_key) {
  constexpr std::string_view prefix = "address:";
  if (place_key.substr(0, prefix.size()) != prefix) return {};
  return place_key.substr(prefix.size());
}

}  // namespace intake::dedup
