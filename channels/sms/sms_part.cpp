#include "channels/sms/sms_part.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/normalize/phone.hpp"

namespace intake::channels::sms {

namespace {

constexpr std::string_view raw_key_prefix = "raw:";

void put(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* key, const std::string& v) {
  w.Key(key);
  w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
}

std::string get(const rapidjson::Value& o, const char* key) {
  auto it = o.FindMember(key);
  if (it == o.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

std::string encode_part_body(const stored_sms& s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  put(w, "text", s.text);
  put(w, "to", s.receiver);
  put(w, "id", s.gateway_id);
  put(w, "smsc", s.smsc);
  if (s.undecodable) {
    put(w, "charset", s.undecodable->charset);
    put(w, "raw_hex", s.undecodable->raw_hex);
  }
  if (s.emergency_replied) {
    w.Key("emergency_replied");
    w.Bool(true);
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

core::result<stored_sms> decode_part_body(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return core::fail(core::errc::internal, "a stored SMS part is not readable");
  }
  stored_sms s;
  s.text = get(doc, "text");
  s.receiver = get(doc, "to");
  s.gateway_id = get(doc, "id");
  s.smsc = get(doc, "smsc");
  if (doc.HasMember("raw_hex")) {
    s.undecodable = model::undecodable_text{1, get(doc, "charset"), get(doc, "raw_hex")};
  }
  if (auto it = doc.FindMember("emergency_replied"); it != doc.MemberEnd() && it->value.IsBool()) {
    s.emergency_replied = it->value.GetBool();
  }
  return s;
}

std::string sender_key(std::string_view sender) {
  if (auto phone = normalize::normalize_phone(sender)) return *phone;
  return std::string(raw_key_prefix) + std::string(sender);
}

std::optional<std::string> sender_phone(std::string_view key) {
  if (key.rfind(raw_key_prefix, 0) == 0) return std::nullopt;
  return std::string(key);
}

core::result<model::raw_submission> joined_submission(const joiner::window& w) {
  model::raw_submission raw;
  raw.channel = "sms";
  raw.reserved_tracking_number = w.token;
  raw.idempotency_key = "window:" + w.token;
  // A sender that is not a phone number (an alphanumeric sender id) is forwarded without one:
  // the pipeline would refuse it as a phone, and the message matters more than the sender.
  if (auto phone = sender_phone(w.key)) raw.submitter.phone = *phone;
  std::string ids;
  int number = 0;
  for (const auto& p : w.parts) {
    ++number;
    auto s = decode_part_body(p.body);
    if (!s) return tl::unexpected(s.error());
    if (!raw.description.empty()) raw.description += '\n';
    raw.description += s->text;
    if (s->undecodable) {
      auto u = *s->undecodable;
      u.part = number;
      raw.undecodable.push_back(std::move(u));
    }
    if (!s->gateway_id.empty()) {
      if (!ids.empty()) ids += ',';
      ids += s->gateway_id;
    }
    if (number == 1) raw.received_at = p.received_at;
  }
  if (!ids.empty()) raw.source_ref = std::move(ids);
  return raw;
}

}  // namespace intake::channels::sms
