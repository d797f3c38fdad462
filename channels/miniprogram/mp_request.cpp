#include "channels/miniprogram/mp_request.hpp"

#include <rapidjson/document.h>

#include <algorithm>

#include "channels/api/api_decode.hpp"

namespace intake::channels::miniprogram {

namespace {

bool visible_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

core::result<std::optional<std::string>> short_string(const rapidjson::Value& doc, const char* key,
                                                      std::size_t max) {
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd() || it->value.IsNull()) return std::optional<std::string>{};
  if (!it->value.IsString() || it->value.GetStringLength() == 0 ||
      it->value.GetStringLength() > max ||
      !visible_ascii({it->value.GetString(), it->value.GetStringLength()})) {
    return core::fail(
        core::errc::invalid_field,
        std::string(key) + " must be 1-" + std::to_string(max) + " visible ASCII characters");
  }
  return std::optional<std::string>{
      std::string(it->value.GetString(), it->value.GetStringLength())};
}

}  // namespace

core::result<mp_submission> decode_mp_submission(std::string_view content_type,
                                                 std::string_view body,
                                                 core::sys_time received_at) {
  // The shared fields, checked exactly as the api channel checks them.
  auto raw = api::decode_submission(content_type, body, std::nullopt, received_at);
  if (!raw) return tl::unexpected(raw.error());
  mp_submission out;
  out.raw = std::move(*raw);
  out.raw.channel = "miniprogram";

  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());  // already validated above
  auto code = short_string(doc, "code", 128);
  if (!code) return tl::unexpected(code.error());
  out.code = std::move(*code);
  auto request_id = short_string(doc, "request_id", 64);
  if (!request_id) return tl::unexpected(request_id.error());
  out.request_id = std::move(*request_id);

  if (auto it = doc.FindMember("media"); it != doc.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsArray() || it->value.Size() > max_media_per_submission) {
      return core::fail(core::errc::invalid_field, "media must be an array of at most " +
                                                       std::to_string(max_media_per_submission) +
                                                       " media ids");
    }
    for (const auto& id : it->value.GetArray()) {
      if (!id.IsString() || id.GetStringLength() > 128) {
        return core::fail(core::errc::invalid_field, "media ids must be strings");
      }
      out.media_ids.emplace_back(id.GetString(), id.GetStringLength());
    }
  }
  return out;
}

core::result<std::string> decode_login(std::string_view content_type, std::string_view body) {
  if (content_type.substr(0, 16) != "application/json") {
    return core::fail(core::errc::unsupported_media_type, "Content-Type must be application/json");
  }
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return core::fail(core::errc::malformed_json, "the body must be a JSON object");
  }
  auto code = short_string(doc, "code", 128);
  if (!code) return tl::unexpected(code.error());
  if (!*code) return core::fail(core::errc::missing_field, "code is required");
  return std::move(**code);
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view scheme = "Bearer ";
  if (authorization.size() <= scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(scheme[i])))
      return std::nullopt;
  }
  return authorization.substr(scheme.size());
}

}  // namespace intake::channels::miniprogram
