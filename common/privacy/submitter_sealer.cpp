#include "common/privacy/submitter_sealer.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/privacy/sealed_box.hpp"

namespace intake::privacy {

namespace {

void put_optional(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* key,
                  const std::optional<std::string>& value) {
  if (!value) return;
  w.Key(key);
  w.String(value->data(), static_cast<rapidjson::SizeType>(value->size()));
}

std::optional<std::string> string_member(const rapidjson::Value& object, const char* key) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

core::result<submitter_sealer> submitter_sealer::create(const public_key& recipient) {
  if (auto trial = seal_to_base64("{}", recipient); !trial) {
    return core::fail(core::errc::invalid_field,
                      "the recipient public key cannot be sealed to (not a usable X25519 key)");
  }
  return submitter_sealer(recipient);
}

core::result<void> submitter_sealer::seal(model::submitter& person) const {
  if (person.empty()) return {};
  const personal_data data{person.name, person.phone, person.email, person.openid};
  auto sealed = seal_to_base64(personal_data_json(data), recipient_);
  if (!sealed) return tl::unexpected(sealed.error());
  person.sealed = std::move(*sealed);
  person.name.reset();
  person.phone.reset();
  person.email.reset();
  person.openid.reset();
  return {};
}

std::string personal_data_json(const personal_data& data) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  put_optional(w, "name", data.name);
  put_optional(w, "phone", data.phone);
  put_optional(w, "email", data.email);
  put_optional(w, "openid", data.openid);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

core::result<personal_data> open_personal_data(std::string_view sealed, const key_pair& keys) {
  auto plaintext = open_from_base64(sealed, keys);
  if (!plaintext) return tl::unexpected(plaintext.error());
  rapidjson::Document doc;
  doc.Parse(plaintext->data(), plaintext->size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return core::fail(core::errc::invalid_field, "sealed does not hold a JSON object");
  }
  return personal_data{string_member(doc, "name"), string_member(doc, "phone"),
                       string_member(doc, "email"), string_member(doc, "openid")};
}

}  // namespace intake::privacy
