#pragma once
// How an SMS waits in the joiner (its part body) and how the parts of one window become one
// submission. Pure.
#include <optional>
#include <string>
#include <vector>

#include "channels/sms/sms_message.hpp"
#include "common/core/result.hpp"
#include "common/joiner/joiner.hpp"
#include "common/model/raw_submission.hpp"

namespace intake::channels::sms {

/// What a part body keeps of an SMS: everything but the sender, which is the window's key.
struct stored_sms {
  std::string text;
  std::string receiver;
  std::string gateway_id;
  std::string smsc;
  std::optional<model::undecodable_text> undecodable;
  /// This part alone was judged an emergency, and its reply said so already.
  bool emergency_replied = false;
};

std::string encode_part_body(const stored_sms& s);
core::result<stored_sms> decode_part_body(std::string_view body);

/// The joiner key of a sender: the normalized phone when it is one, else the raw text.
std::string sender_key(std::string_view sender);

/// The sender's phone as the key holds it, when it is one the pipeline can normalize.
std::optional<std::string> sender_phone(std::string_view key);

/// One submission of a window's parts: texts joined by newlines in arrival order, the window's
/// token as the reserved tracking number and the idempotency key (so a replay after a crash
/// stores nothing twice), gateway ids as the source_ref.
core::result<model::raw_submission> joined_submission(const joiner::window& w);

}  // namespace intake::channels::sms
