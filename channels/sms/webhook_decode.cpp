#include "channels/sms/webhook_decode.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/pointer.h>

#include "channels/sms/kannel_decode.hpp"

namespace intake::channels::sms {

namespace {

// A mapped field: a string, or a number for the ids a platform sends unquoted.
core::result<std::optional<std::string>> mapped(const rapidjson::Document& doc,
                                                const std::string& pointer, std::string_view what) {
  const rapidjson::Value* v = rapidjson::Pointer(pointer.c_str()).Get(doc);
  if (!v || v->IsNull()) return std::optional<std::string>{};
  if (v->IsString())
    return std::optional<std::string>{std::string(v->GetString(), v->GetStringLength())};
  if (v->IsInt64()) return std::optional<std::string>{std::to_string(v->GetInt64())};
  if (v->IsUint64()) return std::optional<std::string>{std::to_string(v->GetUint64())};
  return core::fail(core::errc::invalid_field,
                    std::string(what) + " (" + pointer + ") must be a string");
}

}  // namespace

bool valid_pointer(const std::string& pointer) {
  return !pointer.empty() && rapidjson::Pointer(pointer.c_str()).IsValid();
}

core::result<sms_message> decode_webhook(std::string_view body, const webhook_mapping& mapping,
                                         std::size_t max_text_chars) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    if (doc.GetParseError() == rapidjson::kParseErrorStringInvalidEncoding) {
      return core::fail(core::errc::invalid_utf8, "the body is not valid UTF-8");
    }
    return core::fail(core::errc::malformed_json,
                      std::string("the body is not valid JSON: ") +
                          rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return core::fail(core::errc::malformed_json, "the body must be an object");

  sms_message m;
  auto sender = mapped(doc, mapping.sender, "the sender");
  if (!sender) return tl::unexpected(sender.error());
  if (!*sender || (*sender)->empty()) {
    return core::fail(core::errc::missing_field, "the sender (" + mapping.sender + ") is required");
  }
  m.sender = std::move(**sender);
  auto text = mapped(doc, mapping.text, "the text");
  if (!text) return tl::unexpected(text.error());
  if (!*text)
    return core::fail(core::errc::missing_field, "the text (" + mapping.text + ") is required");
  m.text = std::move(**text);
  auto receiver = mapped(doc, mapping.receiver, "the receiver");
  if (!receiver) return tl::unexpected(receiver.error());
  if (*receiver) m.receiver = std::move(**receiver);
  auto id = mapped(doc, mapping.id, "the id");
  if (!id) return tl::unexpected(id.error());
  if (*id) {
    if (auto r = check_gateway_id(**id); !r) return tl::unexpected(r.error());
    m.gateway_id = std::move(**id);
  }
  if (auto r = check_text(m.text, max_text_chars); !r) return tl::unexpected(r.error());
  return m;
}

}  // namespace intake::channels::sms
