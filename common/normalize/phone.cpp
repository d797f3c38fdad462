#include "common/normalize/phone.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "common/normalize/text.hpp"

namespace intake::normalize {

namespace {

// Longer than any plausible "+86 (0755) 8765-4321 转 123456"; bounds the work on hostile input.
constexpr std::size_t max_phone_input = 96;
constexpr std::size_t max_extension_digits = 6;
constexpr std::string_view country_code = "86";

core::error invalid_phone() {
  return core::make_error(core::errc::invalid_phone,
                          "phone is not a mainland China mobile or landline number with area code");
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_mobile(std::string_view nsn) {
  return nsn.size() == 11 && nsn[0] == '1' && nsn[1] >= '3' && nsn[1] <= '9' && all_digits(nsn);
}

// Area codes (without the trunk 0): 10 and 2x are two digits, the rest three digits from 3xx
// to 9xx; 1x other than 10 is the mobile and service range.
std::size_t area_code_length(std::string_view nsn) {
  if (nsn.size() < 2) return 0;
  if ((nsn[0] == '1' && nsn[1] == '0') || nsn[0] == '2') return 2;
  if (nsn[0] >= '3' && nsn[0] <= '9') return 3;
  return 0;
}

// A subscriber number never starts with the trunk 0.
bool is_landline(std::string_view nsn) {
  const std::size_t area = area_code_length(nsn);
  if (area == 0 || nsn.size() <= area || !all_digits(nsn)) return false;
  const std::string_view subscriber = nsn.substr(area);
  return (subscriber.size() == 7 || subscriber.size() == 8) && subscriber[0] != '0';
}

// digits: everything the citizen typed, separators removed. Returns the national significant
// number (no country code, no trunk 0) when it is a valid mobile or landline.
std::optional<std::string_view> national_number(std::string_view digits, bool had_plus) {
  bool international = had_plus;
  if (had_plus) {
    if (!digits.starts_with(country_code)) return std::nullopt;
    digits.remove_prefix(country_code.size());
  } else if (digits.starts_with("0086")) {
    international = true;
    digits.remove_prefix(4);
  } else if (digits.starts_with(country_code)) {
    // Safe without "+": a domestic number starts with 0 (landline) or 1 (mobile), never 8.
    international = true;
    digits.remove_prefix(country_code.size());
  }
  if (digits.starts_with('0')) {
    // Trunk 0: required domestically, tolerated after +86 ("+86 (0)755 ...").
    digits.remove_prefix(1);
    return is_landline(digits) ? std::optional(digits) : std::nullopt;
  }
  if (is_mobile(digits)) return digits;
  // Without trunk 0 or country code a landline is ambiguous, so only accept it internationally.
  if (international && is_landline(digits)) return digits;
  return std::nullopt;
}

bool is_separator(char c) {
  return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

// Splits off an extension introduced by a word; returns false if the extension is malformed.
bool strip_extension_word(std::string& s) {
  static constexpr std::array<std::string_view, 3> markers = {"转", "分机", "ext"};
  std::size_t pos = std::string::npos;
  std::size_t marker_len = 0;
  for (const auto m : markers) {
    const auto at = s.find(m);
    if (at < pos) {
      pos = at;
      marker_len = m.size();
    }
  }
  if (pos == std::string::npos) return true;
  std::size_t digits = 0;
  for (std::size_t i = pos + marker_len; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (!is_separator(c) && c != ':' && c != '#') {
      return false;
    }
  }
  if (digits == 0 || digits > max_extension_digits) return false;
  s.erase(pos);
  return true;
}

// ASCII lower-casing is enough: the only letters we accept are those of "ext".
void lower_ascii(std::string& s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

bool is_ascii_digit_cp(std::int32_t cp) {
  return cp >= '0' && cp <= '9';
}

std::optional<char> digit_of(std::int32_t cp) {
  if (is_ascii_digit_cp(cp)) return static_cast<char>(cp);
  if (cp >= 0xFF10 && cp <= 0xFF19) return static_cast<char>('0' + (cp - 0xFF10));  // full width
  return std::nullopt;
}

bool is_text_separator(std::int32_t cp) {
  return cp == ' ' || cp == '-' || cp == 0x3000 || cp == 0x00A0 || cp == 0xFF0D || cp == 0x2010 ||
         cp == 0x2013 || cp == 0x2014;
}

// A run is digit groups joined by single separators. Phones are sought only on group
// boundaries so that digits in the middle of a longer number never match.
std::optional<std::string> phone_in_run(const std::vector<std::string>& groups) {
  for (std::size_t i = 0; i < groups.size(); ++i) {
    std::string acc;
    for (std::size_t j = i; j < groups.size(); ++j) {
      acc += groups[j];
      if (acc.size() > 15) break;
      std::string_view nsn = acc;
      if (nsn.size() == 15 && nsn.starts_with("0086")) nsn.remove_prefix(4);
      if (nsn.size() == 13 && nsn.starts_with(country_code)) nsn.remove_prefix(2);
      if (is_mobile(nsn)) return "+86" + std::string(nsn);
    }
  }
  return std::nullopt;
}

}  // namespace

core::result<std::string> normalize_phone(std::string_view in) {
  if (in.size() > max_phone_input) return tl::unexpected(invalid_phone());
  // NFKC turns full-width digits, "＋", "（）" and ideographic spaces into ASCII.
  auto text = normalize_text(in);
  if (!text) return tl::unexpected(invalid_phone());
  std::string s = std::move(*text);
  lower_ascii(s);
  if (!strip_extension_word(s)) return tl::unexpected(invalid_phone());

  std::string_view rest = s;  // already trimmed by normalize_text
  const bool had_plus = rest.starts_with('+');
  if (had_plus) rest.remove_prefix(1);

  std::vector<std::string_view> groups;
  std::vector<bool> hyphen_before;  // per group: was a '-' among the separators before it
  bool saw_hyphen = false;
  std::size_t i = 0;
  while (i < rest.size()) {
    const char c = rest[i];
    if (c >= '0' && c <= '9') {
      const std::size_t start = i;
      while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
      groups.push_back(rest.substr(start, i - start));
      hyphen_before.push_back(saw_hyphen);
      saw_hyphen = false;
    } else if (is_separator(c)) {
      saw_hyphen = saw_hyphen || c == '-';
      ++i;
    } else {
      return tl::unexpected(invalid_phone());
    }
  }
  if (groups.empty()) return tl::unexpected(invalid_phone());

  std::string digits;
  for (const auto g : groups) digits += g;
  if (const auto nsn = national_number(digits, had_plus)) return "+86" + std::string(*nsn);

  // "010-12345678-123": the last hyphenated group may be an extension.
  const auto last = groups.back();
  if (groups.size() >= 2 && hyphen_before.back() && last.size() <= max_extension_digits) {
    digits.resize(digits.size() - last.size());
    if (const auto nsn = national_number(digits, had_plus)) return "+86" + std::string(*nsn);
  }
  return tl::unexpected(invalid_phone());
}

std::string mask_phone(std::string_view normalized) {
  constexpr std::string_view fallback = "****";
  if (!normalized.starts_with("+86")) return std::string(fallback);
  const std::string_view nsn = normalized.substr(3);
  if (is_mobile(nsn)) {
    return std::string(nsn.substr(0, 3)) + "****" + std::string(nsn.substr(nsn.size() - 4));
  }
  if (is_landline(nsn)) {
    return "0" + std::string(nsn.substr(0, area_code_length(nsn))) + "****" +
           std::string(nsn.substr(nsn.size() - 4));
  }
  return std::string(fallback);
}

std::optional<std::string> find_phone_in_text(std::string_view text) {
  std::vector<std::string> groups;
  bool in_group = false;

  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  auto left = static_cast<utf8proc_ssize_t>(text.size());
  while (true) {
    std::int32_t cp = -1;  // -1: end of text or an invalid byte, both end the current run
    if (left > 0) {
      const auto n = utf8proc_iterate(p, left, &cp);
      const auto step = n > 0 ? n : 1;
      if (n <= 0) cp = -1;
      p += step;
      left -= step;
    }
    if (const auto d = digit_of(cp)) {
      if (!in_group) groups.emplace_back();
      groups.back().push_back(*d);
      in_group = true;
      continue;
    }
    // One separator continues the run ("138 0013 8000"); a second one, or anything else, ends it.
    if (in_group && is_text_separator(cp)) {
      in_group = false;
      continue;
    }
    if (!groups.empty()) {
      if (auto found = phone_in_run(groups)) return found;
      groups.clear();
    }
    in_group = false;
    if (left <= 0 && cp == -1) break;
  }
  return std::nullopt;
}

}  // namespace intake::normalize
