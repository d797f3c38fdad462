#pragma once
// Carries the e-mail channel's replies for the shared reply dispatcher (common/reply), which
// decides when to send, how often to retry and how many replies one address may get; this only
// submits one composed message over SMTP.
#include <atomic>
#include <string>

#include "channels/email/curl_handle.hpp"
#include "channels/email/smtp_client.hpp"
#include "common/core/result.hpp"
#include "common/reply/transport.hpp"

namespace intake::channels::email {

class smtp_reply_transport final : public reply::transport {
 public:
  /// `envelope_from` is the MAIL FROM address (reply_from).
  smtp_reply_transport(server_endpoint smtp, std::string envelope_from);

  /// See curl_handle::abort_when: a send in progress at shutdown is cut short (and retried, so
  /// the dispatcher counts it as abandoned rather than waiting for a slow server).
  void abort_when(const std::atomic<bool>* flag) { client_.abort_when(flag); }

  reply::send_outcome send(const reply::message& m) override;

 private:
  smtp_client client_;
  std::string envelope_from_;
};

/// What one SMTP attempt means to the dispatcher: a 5xx refusal (errc::invalid_email) is final,
/// anything else (connection, 4xx, timeout) is worth another attempt.
reply::send_outcome send_outcome_of(const core::result<void>& sent);

}  // namespace intake::channels::email
