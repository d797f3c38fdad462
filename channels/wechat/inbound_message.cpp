#include "channels/wechat/inbound_message.hpp"

#include <charconv>

#include "common/core/hmac.hpp"

namespace intake::channels::wechat {

namespace {

tl::unexpected<core::error> bad(const std::string& why) {
  return core::fail(core::errc::bad_request, "message " + why);
}

const std::string* find(const xml_fields& f, std::string_view name) {
  auto it = f.find(name);
  return it == f.end() ? nullptr : &it->second;
}

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> to_double(std::string_view s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

message_kind kind_of(std::string_view type) {
  if (type == "text") return message_kind::text;
  if (type == "image") return message_kind::image;
  if (type == "location") return message_kind::location;
  if (type == "voice") return message_kind::voice;
  if (type == "event") return message_kind::event;
  return message_kind::other;
}

}  // namespace

core::result<inbound_message> read_message(const xml_fields& f) {
  inbound_message m;
  const auto* to = find(f, "ToUserName");
  const auto* from = find(f, "FromUserName");
  const auto* time = find(f, "CreateTime");
  const auto* type = find(f, "MsgType");
  if (!to || !from || !time || !type) {
    return bad("lacks ToUserName, FromUserName, CreateTime or MsgType");
  }
  if (from->empty() || from->size() > 128) return bad("has a malformed FromUserName");
  auto created = to_int(*time);
  if (!created) return bad("has a malformed CreateTime");
  m.to_user = *to;
  m.from_user = *from;
  m.create_time = *created;
  m.msg_type = *type;
  m.kind = kind_of(*type);
  if (const auto* id = find(f, "MsgId")) {
    if (!to_int(*id)) return bad("has a malformed MsgId");
    m.msg_id = *id;
  }
  if (m.kind != message_kind::event && !m.msg_id) return bad("lacks MsgId");

  switch (m.kind) {
    case message_kind::text: {
      const auto* content = find(f, "Content");
      if (!content) return bad("of type text lacks Content");
      m.text = *content;
      break;
    }
    case message_kind::image:
      if (const auto* url = find(f, "PicUrl")) m.pic_url = *url;
      if (const auto* media = find(f, "MediaId")) m.media_id = *media;
      if (!m.media_id && !m.pic_url) return bad("of type image lacks MediaId and PicUrl");
      break;
    case message_kind::location: {
      const auto* x = find(f, "Location_X");
      const auto* y = find(f, "Location_Y");
      if (!x || !y) return bad("of type location lacks Location_X or Location_Y");
      auto lat = to_double(*x);
      auto lon = to_double(*y);
      if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
        return bad("has a location out of range");
      }
      m.lat = lat;
      m.lon = lon;
      if (const auto* label = find(f, "Label"); label && !label->empty()) m.label = *label;
      break;
    }
    case message_kind::voice:
      if (const auto* media = find(f, "MediaId")) m.media_id = *media;
      if (const auto* rec = find(f, "Recognition")) m.text = *rec;
      break;
    case message_kind::event:
      if (const auto* ev = find(f, "Event")) m.event = *ev;
      break;
    case message_kind::other:
      break;
  }
  return m;
}

std::string replay_key(const inbound_message& m) {
  if (m.msg_id) return "msg:" + *m.msg_id;
  // Events carry no MsgId; the openid is hashed so the key can be kept and logged safely.
  return "evt:" + core::to_hex(core::sha256(m.from_user)).substr(0, 32) + ":" +
         std::to_string(m.create_time);
}

bool is_submittable(const inbound_message& m) {
  switch (m.kind) {
    case message_kind::text:
      return !m.text.empty();
    case message_kind::image:
    case message_kind::location:
      return true;
    case message_kind::voice:
      return !m.text.empty();
    default:
      return false;
  }
}

}  // namespace intake::channels::wechat
