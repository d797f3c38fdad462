#pragma once
// [channels.email]: every key declared once, and read into one struct at startup.
#include <chrono>
#include <string>
#include <vector>

#include "channels/email/curl_handle.hpp"
#include "channels/email/reply_message.hpp"
#include "common/config/config.hpp"
#include "common/config/key_spec.hpp"
#include "common/reply/dispatcher.hpp"

namespace intake::channels::email {

struct email_settings {
  server_endpoint imap;
  std::string mailbox = "INBOX";
  std::string processed_folder = "Processed";
  std::string quarantine_folder = "Quarantine";
  std::chrono::milliseconds poll_interval{30000};
  std::chrono::milliseconds poll_backoff_max{300000};
  std::chrono::milliseconds submit_timeout{30000};
  std::size_t max_message_bytes = 32 * 1024 * 1024;
  std::size_t max_attachments = 16;
  int max_attempts = 5;
  bool idle = true;  // IMAP IDLE wakes the poller where the server offers it
  std::chrono::milliseconds idle_renew{25 * 60 * 1000};
  std::chrono::milliseconds idle_reconnect_min{1000};
  std::chrono::milliseconds idle_reconnect_max{300000};

  bool replies = false;  // true when smtp_url is set and reply_enabled
  server_endpoint smtp;
  reply_template reply;
  reply::dispatcher_options dispatch;
};

std::vector<config::key_spec> email_config_keys();

/// Reads [channels.email]. Throws std::runtime_error naming the key on a bad combination
/// (startup only).
email_settings read_email_settings(const config::config& cfg);

}  // namespace intake::channels::email
