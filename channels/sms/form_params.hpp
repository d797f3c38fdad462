#pragma once
// application/x-www-form-urlencoded pairs, as in a query string or a form body. Values are
// bytes: %b carries an SMS's raw bytes, which need not be UTF-8. Pure.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::channels::sms {

using form_params = std::map<std::string, std::string, std::less<>>;

/// Parses "a=1&b=x+y%2B"; '+' is a space, %XX a byte. A malformed escape is bad_request (a
/// gateway sends none; a forged request is refused whole rather than guessed at). A name given
/// twice keeps its first value.
core::result<form_params> parse_form(std::string_view text);

/// The query part of a request target ("" when none).
std::string_view query_of(std::string_view target);

/// A parameter's value, when present.
std::optional<std::string_view> param(const form_params& params, std::string_view name);

}  // namespace intake::channels::sms
