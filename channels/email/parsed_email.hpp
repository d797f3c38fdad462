#pragma once
// A message as the e-mail channel reads it: decoded headers, the chosen body text and the
// attachments, all in UTF-8. Produced by parse_email (GMime), consumed by pure functions.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace intake::channels::email {

struct email_attachment {
  std::optional<std::string> name;  // the file name the sender gave, UTF-8
  std::string declared_type;        // Content-Type as declared (the store sniffs its own)
  std::string bytes;                // decoded; empty when over the size cap
  std::size_t size = 0;             // decoded size, also when the bytes were dropped
  bool over_cap = false;
};

struct parsed_email {
  std::string message_id;  // without angle brackets; empty when the message has none
  std::string subject;
  std::optional<std::string> from_address;
  std::optional<std::string> from_name;
  std::optional<std::string> reply_to_address;
  std::string in_reply_to;  // without angle brackets
  std::vector<std::string> references;
  std::string content_type;  // of the whole message, e.g. "multipart/report"
  /// Top-level headers in order, names as written, values unfolded and decoded.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body_text;  // the chosen text (plain preferred, else HTML as text), untrimmed
  bool body_from_html = false;
  std::string body_charset;  // the charset label the chosen part declared (lower case)
  std::vector<email_attachment> attachments;

  /// The first header named `name` (case-insensitive).
  std::optional<std::string> header(std::string_view name) const;
};

}  // namespace intake::channels::email
