#pragma once
// Mail that a machine sent (vacation replies, bounces, list traffic, our own replies coming
// back) is neither a citizen's request nor something to answer: answering it is how two
// auto-responders mail each other forever (RFC 3834).
#include <optional>
#include <string>
#include <string_view>

#include "channels/email/parsed_email.hpp"

namespace intake::channels::email {

struct own_identity {
  std::string reply_address;    // our From, lower case
  std::string message_id_host;  // the right-hand side of the Message-IDs we create
};

/// Why the message is automatic ("auto_submitted", "precedence", "x_loop",
/// "auto_response_suppress", "null_return_path", "mailer_daemon", "delivery_report",
/// "own_message"), or nothing for a message a person wrote.
std::optional<std::string_view> automatic_reason(const parsed_email& message,
                                                 const own_identity& self);

/// The Message-ID we give a reply: "intake-reply.<token>@<host>".
std::string own_message_id(std::string_view token, std::string_view host);

}  // namespace intake::channels::email
