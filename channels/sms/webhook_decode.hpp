#pragma once
// The generic JSON webhook of cloud SMS platforms (POST /sms/webhook) → sms_message. Where each
// field sits in the platform's JSON is configured as a JSON Pointer. Pure.
#include <cstddef>
#include <string>

#include "channels/sms/sms_message.hpp"
#include "common/core/result.hpp"

namespace intake::channels::sms {

/// JSON Pointers (RFC 6901) of the fields, e.g. "/from" or "/data/mobile".
struct webhook_mapping {
  std::string sender = "/from";
  std::string receiver = "/to";
  std::string text = "/text";
  std::string id = "/id";
};

/// Errors: malformed_json / invalid_utf8 (400), missing_field / invalid_field (422: a mapped
/// field absent or not a string; a number is taken for the sender and id), field_too_long.
core::result<sms_message> decode_webhook(std::string_view body, const webhook_mapping& mapping,
                                         std::size_t max_text_chars);

/// Whether `pointer` is a well-formed JSON Pointer (checked at startup).
bool valid_pointer(const std::string& pointer);

}  // namespace intake::channels::sms
