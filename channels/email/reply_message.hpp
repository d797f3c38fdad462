#pragma once
// The answer to a citizen's mail: the tracking number (and, when triage says so, which
// emergency number to call), marked as an automatic reply so that other robots do not answer it.
// Pure: the caller supplies the time and a unique token.
#include <string>
#include <string_view>
#include <vector>

#include "common/core/clock.hpp"
#include "common/model/submission.hpp"

namespace intake::channels::email {

struct reply_template {
  std::string from_address;
  std::string from_name = "12345政务服务便民热线";
  std::string message_id_host;  // right-hand side of our Message-IDs
  /// `{tracking_number}` and `{advice}` are replaced; `{advice}` by nothing when no emergency.
  std::string subject = "来信已受理（受理编号 {tracking_number}）";
  std::string body;
};

/// The built-in body text (Chinese first, then English).
std::string default_reply_body();

struct reply_to_message {
  std::string to_address;
  std::string message_id;  // of the citizen's message, without angle brackets; may be empty
  std::vector<std::string> references;
};

struct composed_reply {
  std::string message_id;  // ours, without angle brackets
  std::string text;        // the whole RFC 5322 message, CRLF line ends
};

composed_reply compose_reply(const reply_template& t, const reply_to_message& original,
                             const model::receipt& receipt, core::sys_time now,
                             std::string_view unique_token);

/// RFC 2047 encoded-words (UTF-8, base64) for a header value, folded so that no encoded-word
/// is longer than 75 characters; ASCII-only text is returned as is.
std::string encode_header_words(std::string_view utf8);

/// "Tue, 01 Dec 2026 08:15:02 +0000".
std::string rfc5322_date(core::sys_time t);

}  // namespace intake::channels::email
