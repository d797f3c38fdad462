#include "common/privacy/event_opener.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/privacy/sealed_box.hpp"

namespace intake::privacy {

core::result<std::string> open_event(std::string_view event_json, const key_pair& keys) {
  rapidjson::Document event;
  // Full precision so that lat/long are written back exactly as the collector wrote them.
  event.Parse<rapidjson::kParseFullPrecisionFlag>(event_json.data(), event_json.size());
  if (event.HasParseError() || !event.IsObject()) {
    return core::fail(core::errc::malformed_json, "not a JSON event object");
  }
  const auto data = event.FindMember("data");
  if (data == event.MemberEnd() || !data->value.IsObject()) return std::string(event_json);
  const auto person = data->value.FindMember("submitter");
  if (person == data->value.MemberEnd() || !person->value.IsObject()) {
    return std::string(event_json);
  }
  const auto sealed = person->value.FindMember("sealed");
  if (sealed == person->value.MemberEnd()) return std::string(event_json);
  if (!sealed->value.IsString()) {
    return core::fail(core::errc::invalid_field, "data.submitter.sealed is not a string");
  }

  auto plaintext = open_from_base64(
      std::string_view(sealed->value.GetString(), sealed->value.GetStringLength()), keys);
  if (!plaintext) return tl::unexpected(plaintext.error());
  rapidjson::Document opened(&event.GetAllocator());
  opened.Parse(plaintext->data(), plaintext->size());
  if (opened.HasParseError() || !opened.IsObject()) {
    return core::fail(core::errc::invalid_field, "sealed does not hold a JSON object");
  }

  // Rebuild the submitter so the clear fields stand where `sealed` stood: ref and masked forms
  // first, as in an event the collector writes with sealing off.
  auto& allocator = event.GetAllocator();
  rapidjson::Value rebuilt(rapidjson::kObjectType);
  for (auto& member : person->value.GetObject()) {
    if (member.name == "sealed") {
      for (auto& field : opened.GetObject()) {
        rebuilt.AddMember(rapidjson::Value(field.name, allocator),
                          rapidjson::Value(field.value, allocator), allocator);
      }
    } else {
      rebuilt.AddMember(rapidjson::Value(member.name, allocator),
                        rapidjson::Value(member.value, allocator), allocator);
    }
  }
  person->value = std::move(rebuilt);

  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  event.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace intake::privacy
