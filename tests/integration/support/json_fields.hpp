#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace intake::testing {

/// Parses JSON text; nullopt if it is not JSON.
std::optional<rapidjson::Document> parse_json(std::string_view text);

// Fields addressed by JSON Pointer (RFC 6901, e.g. "/data/tracking_number"); nullopt when the
// text is not JSON, the field is absent or has another type.
std::optional<std::string> json_string(std::string_view text, const char* pointer);
std::optional<std::int64_t> json_int(std::string_view text, const char* pointer);
std::optional<double> json_number(std::string_view text, const char* pointer);
/// True only when the field exists and is null.
bool json_is_null(std::string_view text, const char* pointer);

std::optional<std::string> json_string(const rapidjson::Value& root, const char* pointer);

}  // namespace intake::testing
