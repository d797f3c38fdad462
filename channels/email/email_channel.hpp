#pragma once
// `email`: a citizens' mailbox polled over IMAP, answered over SMTP (issue #5).
//
// The pieces, each in a file of its own:
//   transport (I/O)  mailbox_poller (the thread and the order of things), imap_client and
//                    smtp_client over curl_handle, smtp_reply_transport (for the shared
//                    reply dispatcher in common/reply: queue, retries, limits),
//                    mailbox_state (UIDVALIDITY + last UID), quarantine (kept-aside mail),
//                    idle_watcher (IMAP IDLE over imap_connection, Asio: wakes the poller)
//   IMAP responses   imap_response (bounded reader and parser, pure)
//   reading (pure)   mime_parser (GMime) → parsed_email, charset, html_text, quote_trim,
//                    loop_guard (machine mail), email_submission (→ RawSubmission)
//   answering (pure) reply_message (the RFC 5322 reply)
//   configuration    email_settings ([channels.email] keys)
#include <memory>
#include <vector>

#include "channels/channel.hpp"

namespace intake::channels::email {

std::vector<config::key_spec> config_keys();
std::unique_ptr<channel> make_channel();

}  // namespace intake::channels::email
