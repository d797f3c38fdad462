#pragma once
// One SMS as a gateway handed it over, decoded but not yet normalized.
#include <optional>
#include <string>

#include "common/model/raw_submission.hpp"

namespace intake::channels::sms {

struct sms_message {
  std::string sender;    // as the gateway gave it (Kannel %p); personal data, never logged
  std::string receiver;  // the number the citizen texted (Kannel %P)
  std::string text;      // UTF-8; U+FFFD where bytes did not decode
  /// Set when a byte did not decode: the charset and the raw bytes.
  std::optional<model::undecodable_text> undecodable;
  std::string gateway_id;  // the gateway's id of the message (Kannel %I); may be empty
  std::string smsc;        // which SMSC it came through (Kannel %i)
};

}  // namespace intake::channels::sms
