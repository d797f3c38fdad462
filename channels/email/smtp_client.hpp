#pragma once
// Sends one composed message over SMTP(S) with libcurl. Not thread-safe: the reply dispatcher
// owns it.
#include <string>

#include "channels/email/curl_handle.hpp"
#include "common/core/result.hpp"

namespace intake::channels::email {

class smtp_client {
 public:
  explicit smtp_client(server_endpoint endpoint);

  /// Errors: errc::invalid_email when the server refused the recipient or the message for good
  /// (5xx), errc::internal for anything worth trying again (connection, 4xx, timeouts).
  /// See curl_handle::abort_when.
  void abort_when(const std::atomic<bool>* flag) { curl_.abort_when(flag); }

  core::result<void> send(const std::string& envelope_from, const std::string& recipient,
                          const std::string& message);

 private:
  server_endpoint endpoint_;
  curl_handle curl_;
};

}  // namespace intake::channels::email
