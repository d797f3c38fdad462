#pragma once
// A message a citizen sent the official account, read from the pushed XML fields.
#include <cstdint>
#include <optional>
#include <string>

#include "channels/wechat/message_xml.hpp"
#include "common/core/result.hpp"

namespace intake::channels::wechat {

enum class message_kind {
  text,
  image,
  location,
  voice,  // with Recognition when speech recognition is on for the account
  event,  // subscribe, menu clicks...: answered, never a submission
  other,  // video, link, file...: answered with a hint, never a submission
};

struct inbound_message {
  std::string to_user;    // the account's original id (gh_...)
  std::string from_user;  // the citizen's openid: personal data, never logged
  std::int64_t create_time = 0;
  message_kind kind = message_kind::other;
  std::string msg_type;
  std::optional<std::string> msg_id;
  std::string text;  // Content, or a voice message's Recognition
  std::optional<std::string> pic_url;
  std::optional<std::string> media_id;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<std::string> label;  // a location's address as WeChat describes it
  std::optional<std::string> event;
};

/// Errors: bad_request when a field every message has is missing or malformed, or a location
/// is out of range.
core::result<inbound_message> read_message(const xml_fields& fields);

/// What identifies a message across WeChat's retries: MsgId, or FromUserName + CreateTime for
/// events (which have none).
std::string replay_key(const inbound_message& m);

/// Whether the message carries something to submit.
bool is_submittable(const inbound_message& m);

}  // namespace intake::channels::wechat
