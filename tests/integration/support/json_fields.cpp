#include "tests/integration/support/json_fields.hpp"

#include <rapidjson/pointer.h>

namespace intake::testing {

namespace {
const rapidjson::Value* find(const rapidjson::Value& root, const char* pointer) {
  return rapidjson::Pointer(pointer).Get(root);
}
}  // namespace

std::optional<rapidjson::Document> parse_json(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) return std::nullopt;
  return doc;
}

std::optional<std::string> json_string(const rapidjson::Value& root, const char* pointer) {
  const auto* v = find(root, pointer);
  if (v == nullptr || !v->IsString()) return std::nullopt;
  return std::string(v->GetString(), v->GetStringLength());
}

std::optional<std::string> json_string(std::string_view text, const char* pointer) {
  auto doc = parse_json(text);
  if (!doc) return std::nullopt;
  return json_string(*doc, pointer);
}

std::optional<std::int64_t> json_int(std::string_view text, const char* pointer) {
  auto doc = parse_json(text);
  if (!doc) return std::nullopt;
  const auto* v = find(*doc, pointer);
  if (v == nullptr || !v->IsInt64()) return std::nullopt;
  return v->GetInt64();
}

std::optional<double> json_number(std::string_view text, const char* pointer) {
  auto doc = parse_json(text);
  if (!doc) return std::nullopt;
  const auto* v = find(*doc, pointer);
  if (v == nullptr || !v->IsNumber()) return std::nullopt;
  return v->GetDouble();
}

bool json_is_null(std::string_view text, const char* pointer) {
  auto doc = parse_json(text);
  if (!doc) return false;
  const auto* v = find(*doc, pointer);
  return v != nullptr && v->IsNull();
}

}  // namespace intake::testing
