#include "common/model/event_codec.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/core/clock.hpp"

namespace intake::model {

namespace {
using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(json_writer& w, std::string_view key, std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void put_optional(json_writer& w, std::string_view key, const std::optional<std::string>& value) {
  if (value) put(w, key, *value);
}

void put_nullable(json_writer& w, std::string_view key, const std::optional<std::string>& value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  if (value) {
    w.String(value->data(), static_cast<rapidjson::SizeType>(value->size()));
  } else {
    w.Null();
  }
}

void write_submitter(json_writer& w, const submitter& p) {
  w.Key("submitter");
  w.StartObject();
  put_optional(w, "ref", p.ref);
  put_optional(w, "phone_masked", p.phone_masked);
  put_optional(w, "email_masked", p.email_masked);
  put_optional(w, "sealed", p.sealed);
  put_optional(w, "name", p.name);
  put_optional(w, "phone", p.phone);
  put_optional(w, "email", p.email);
  put_optional(w, "openid", p.openid);
  w.EndObject();
}

void write_triage(json_writer& w, const triage& t) {
  w.Key("triage");
  w.StartObject();
  put(w, "urgency", t.urgency == urgency::emergency ? "emergency" : "normal");
  put_nullable(w, "referral", t.referral);
  put_nullable(w, "statutory_route", t.statutory_route);
  put_nullable(w, "category_hint", t.category_hint);
  w.EndObject();
}

void write_dedup(json_writer& w, const dedup_result& d) {
  w.Key("dedup");
  w.StartObject();
  put(w, "status", d.status == dedup_status::duplicate ? "duplicate" : "new");
  put_nullable(w, "duplicate_of", d.duplicate_of);
  w.Key("similarity");
  w.Double(d.similarity);
  w.Key("repeat_count");
  w.Int(d.repeat_count);
  w.EndObject();
}

void write_media(json_writer& w, const std::vector<attachment>& media) {
  w.Key("media");
  w.StartArray();
  for (const auto& m : media) {
    w.StartObject();
    put(w, "sha256", m.sha256);
    put(w, "media_type", m.media_type);
    w.Key("size");
    w.Uint64(m.size);
    put_optional(w, "name", m.name);
    put_optional(w, "url", m.url);
    w.EndObject();
  }
  w.EndArray();
}

// Only when something did not decode: most events never carry it.
void write_undecodable(json_writer& w, const std::vector<undecodable_text>& parts) {
  if (parts.empty()) return;
  w.Key("undecodable");
  w.StartArray();
  for (const auto& p : parts) {
    w.StartObject();
    w.Key("part");
    w.Int(p.part);
    put(w, "charset", p.charset);
    put(w, "raw_hex", p.raw_hex);
    w.EndObject();
  }
  w.EndArray();
}
}  // namespace

std::string event_source(std::string_view region, std::string_view collector_id) {
  std::string out = "urn:intake-edge:";
  out += region;
  out += ':';
  out += collector_id;
  return out;
}

std::string encode_event(const submission& s, const dedup_result& dedup,
                         const event_envelope& envelope) {
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  const std::string received = core::format_rfc3339(s.received_at);
  w.StartObject();
  put(w, "specversion", "1.0");
  put(w, "id", envelope.id);
  put(w, "source", envelope.source);
  put(w, "type",
      dedup.status == dedup_status::duplicate ? duplicate_event_type : request_event_type);
  put(w, "subject", envelope.tracking_number);
  put(w, "time", received);
  put(w, "datacontenttype", "application/json");
  w.Key("data");
  w.StartObject();
  put(w, "tracking_number", envelope.tracking_number);
  put(w, "channel", s.channel);
  put(w, "received_at", received);
  put(w, "description", s.description);
  put(w, "description_original", s.description_original);
  put_optional(w, "title", s.title);
  put_optional(w, "service_code", s.service_code);
  put_optional(w, "address_string", s.location.address_string);
  put_optional(w, "address_id", s.location.address_id);
  if (s.location.lat) {
    w.Key("lat");
    w.Double(*s.location.lat);
  }
  if (s.location.lon) {
    w.Key("long");
    w.Double(*s.location.lon);
  }
  put_optional(w, "asset_id", s.location.asset_id);
  w.Key("location_verified");
  w.Bool(s.location.verified);
  write_submitter(w, s.person);
  write_triage(w, s.triage);
  write_dedup(w, dedup);
  write_media(w, s.media);
  write_undecodable(w, s.undecodable);
  put_nullable(w, "source_ref", s.source_ref);
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace intake::model
