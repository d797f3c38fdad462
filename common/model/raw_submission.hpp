#pragma once
// What a channel produces after decoding and verifying its wire format: exact text as received,
// nothing normalized yet.
#include <optional>
#include <string>
#include <vector>

#include "common/core/clock.hpp"
#include "common/model/attachment.hpp"

namespace intake::model {

struct raw_location {
  std::optional<std::string> address_string;
  std::optional<std::string> address_id;
  std::optional<std::string> asset_id;
  std::optional<double> lat;
  std::optional<double> lon;
  /// True when the place comes from a signed source (a QR code), not from the citizen's typing.
  bool verified = false;
};

struct raw_submitter {
  std::optional<std::string> name;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<std::string> openid;
};

/// Text a channel could not decode cleanly: kept with its raw bytes so nothing is lost to one bad
/// byte (the description then holds U+FFFD where the bytes were).
struct undecodable_text {
  int part = 1;         // which part of a joined message (1-based)
  std::string charset;  // the charset the sender declared
  std::string raw_hex;  // the bytes exactly as received, lower-case hex
};

struct raw_submission {
  std::string channel;  // api, webform, qrcode, sms, email, miniprogram, wechat
  std::string description;
  std::optional<std::string> title;
  std::optional<std::string> service_code;
  raw_location location;
  raw_submitter submitter;
  /// A key the sender chose so that its retries are recognised (Idempotency-Key, gateway id...).
  std::optional<std::string> idempotency_key;
  /// The channel's own id of the message (SMS gateway id, Message-ID, QR token id...).
  std::optional<std::string> source_ref;
  std::vector<attachment> media;
  /// Parts whose bytes did not decode in their declared charset.
  std::vector<undecodable_text> undecodable;
  /// A tracking number reserved earlier (pipeline::reserve_tracking_number) and already told
  /// to the citizen; the submission then takes it instead of a new one.
  std::optional<std::string> reserved_tracking_number;
  core::sys_time received_at{};
};

}  // namespace intake::model
