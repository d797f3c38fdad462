#include "channels/email/smtp_reply_transport.hpp"

#include "common/core/log.hpp"

namespace intake::channels::email {

smtp_reply_transport::smtp_reply_transport(server_endpoint smtp, std::string envelope_from)
    : client_(std::move(smtp)), envelope_from_(std::move(envelope_from)) {}

reply::send_outcome smtp_reply_transport::send(const reply::message& m) {
  const auto sent = client_.send(envelope_from_, m.recipient, m.text);
  if (!sent) {
    // The dispatcher logs the outcome; the server's reason is only known here. curl's messages
    // name the SMTP step and code, never the recipient.
    core::log::warn("email_smtp_failed", {{"tracking", m.tag}, {"reason", sent.error().message}});
  }
  return send_outcome_of(sent);
}

reply::send_outcome send_outcome_of(const core::result<void>& sent) {
  if (sent) return reply::send_outcome::sent;
  return sent.error().code == core::errc::invalid_email ? reply::send_outcome::drop
                                                        : reply::send_outcome::retry;
}

}  // namespace intake::channels::email
