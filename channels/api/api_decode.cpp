#include "channels/api/api_decode.hpp"
#include "common/core/ascii.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace intake::channels::api {

namespace {

// application/json, optionally with charset=utf-8; anything else is 415.
core::result<void> check_content_type(std::string_view content_type) {
  const std::string ct = core::ascii_lower(content_type);
  const auto semi = ct.find(';');
  std::string media = ct.substr(0, semi);
  media.erase(std::remove(media.begin(), media.end(), ' '), media.end());
  if (media != "application/json") {
    return core::fail(core::errc::unsupported_media_type, "Content-Type must be application/json");
  }
  if (semi != std::string::npos) {
    const auto charset = ct.find("charset=", semi);
    if (charset != std::string::npos) {
      std::string value = ct.substr(charset + 8);
      value.erase(
          std::remove_if(value.begin(), value.end(), [](char c) { return c == '"' || c == ' '; }),
          value.end());
      if (value != "utf-8" && value != "utf8") {
        return core::fail(core::errc::unsupported_media_type, "the body must be UTF-8 JSON");
      }
    }
  }
  return {};
}

using json_value = rapidjson::Value;

core::result<std::optional<std::string>> string_field(const json_value& object, const char* key,
                                                      std::string_view path) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || it->value.IsNull()) return std::optional<std::string>{};
  if (!it->value.IsString()) {
    return core::fail(core::errc::invalid_field, std::string(path) + " must be a string");
  }
  return std::optional<std::string>{
      std::string(it->value.GetString(), it->value.GetStringLength())};
}

core::result<std::optional<double>> number_field(const json_value& object, const char* key,
                                                 std::string_view path) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || it->value.IsNull()) return std::optional<double>{};
  if (!it->value.IsNumber()) {
    return core::fail(core::errc::invalid_field, std::string(path) + " must be a number");
  }
  return std::optional<double>{it->value.GetDouble()};
}

core::result<const json_value*> object_field(const json_value& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || it->value.IsNull())
    return static_cast<const json_value*>(nullptr);
  if (!it->value.IsObject()) {
    return core::fail(core::errc::invalid_field, std::string(key) + " must be an object");
  }
  return &it->value;
}

core::result<void> check_idempotency_key(std::string_view key) {
  if (key.empty() || key.size() > 128 ||
      !std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return core::fail(core::errc::bad_request,
                      "Idempotency-Key must be 1-128 visible ASCII characters");
  }
  return {};
}

}  // namespace

#define INTAKE_TRY_ASSIGN(target, expr)                         \
  do {                                                          \
    auto intake_tmp = (expr);                                   \
    if (!intake_tmp) return tl::unexpected(intake_tmp.error()); \
    target = std::move(*intake_tmp);                            \
  } while (0)

core::result<model::raw_submission> decode_submission(
    std::string_view content_type, std::string_view body,
    std::optional<std::string_view> idempotency_key, core::sys_time received_at) {
  if (auto r = check_content_type(content_type); !r) return tl::unexpected(r.error());
  if (idempotency_key) {
    if (auto r = check_idempotency_key(*idempotency_key); !r) return tl::unexpected(r.error());
  }

  rapidjson::Document doc;
  // Validating the encoding here turns bad bytes into a clear 400 instead of garbage later.
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    if (doc.GetParseError() == rapidjson::kParseErrorStringInvalidEncoding) {
      return core::fail(core::errc::invalid_utf8, "the body is not valid UTF-8");
    }
    return core::fail(core::errc::malformed_json,
                      std::string("the body is not valid JSON: ") +
                          rapidjson::GetParseError_En(doc.GetParseError()) + " at offset " +
                          std::to_string(doc.GetErrorOffset()));
  }
  if (!doc.IsObject())
    return core::fail(core::errc::malformed_json, "the body must be a JSON object");

  model::raw_submission raw;
  raw.channel = "api";
  raw.received_at = received_at;
  if (idempotency_key) raw.idempotency_key = std::string(*idempotency_key);

  std::optional<std::string> description;
  INTAKE_TRY_ASSIGN(description, string_field(doc, "description", "description"));
  if (!description) return core::fail(core::errc::missing_field, "description is required");
  raw.description = std::move(*description);
  INTAKE_TRY_ASSIGN(raw.title, string_field(doc, "title", "title"));
  INTAKE_TRY_ASSIGN(raw.service_code, string_field(doc, "service_code", "service_code"));

  const json_value* submitter = nullptr;
  INTAKE_TRY_ASSIGN(submitter, object_field(doc, "submitter"));
  if (submitter) {
    INTAKE_TRY_ASSIGN(raw.submitter.name, string_field(*submitter, "name", "submitter.name"));
    INTAKE_TRY_ASSIGN(raw.submitter.phone, string_field(*submitter, "phone", "submitter.phone"));
    INTAKE_TRY_ASSIGN(raw.submitter.email, string_field(*submitter, "email", "submitter.email"));
  }

  const json_value* location = nullptr;
  INTAKE_TRY_ASSIGN(location, object_field(doc, "location"));
  if (location) {
    INTAKE_TRY_ASSIGN(raw.location.address_string,
                      string_field(*location, "address_string", "location.address_string"));
    INTAKE_TRY_ASSIGN(raw.location.address_id,
                      string_field(*location, "address_id", "location.address_id"));
    INTAKE_TRY_ASSIGN(raw.location.asset_id,
                      string_field(*location, "asset_id", "location.asset_id"));
    INTAKE_TRY_ASSIGN(raw.location.lat, number_field(*location, "lat", "location.lat"));
    INTAKE_TRY_ASSIGN(raw.location.lon, number_field(*location, "long", "location.long"));
  }
  return raw;
}

#undef INTAKE_TRY_ASSIGN

}  // namespace intake::channels::api
