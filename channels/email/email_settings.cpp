#include "channels/email/email_settings.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/config/core_keys.hpp"
#include "common/normalize/email.hpp"

namespace intake::channels::email {

namespace {

using config::key_type;
using s = std::string;
constexpr std::int64_t second = 1000;
constexpr std::int64_t minute = 60 * second;
constexpr std::int64_t mib = 1024 * 1024;
const std::string prefix = "channels.email.";

// Folder names go into IMAP commands as quoted strings; non-ASCII names would need modified
// UTF-7, so they are refused rather than half supported.
config::validator folder_name() {
  return config::matches_pattern(R"([A-Za-z0-9 ._/&-]{1,100})",
                                 "must be 1-100 ASCII letters, digits, spaces or ._/&-");
}

// Durations are checked in milliseconds but explained in the units the operator wrote.
config::validator duration_between(std::int64_t min_ms, std::int64_t max_ms, std::string reason) {
  return [min_ms, max_ms, reason](const config::value& v) -> std::optional<std::string> {
    const auto* ms = std::get_if<std::int64_t>(&v);
    if (ms && (*ms < min_ms || *ms > max_ms)) return reason;
    return std::nullopt;
  };
}

}  // namespace

std::vector<config::key_spec> email_config_keys() {
  return {
      {"imap_url", key_type::string, s{""},
       "IMAP server: imaps://host:993 (TLS), or imap://host:143 (upgraded with STARTTLS).",
       config::matches_pattern(R"((imaps?://[^\s/]+/?)?)",
                               "must be imap://host[:port] or imaps://host[:port]"),
       false, "enabled"},
      {"username", key_type::string, s{""}, "IMAP login."},
      {"password_file",
       key_type::secret_file,
       {},
       "File holding the IMAP password.",
       nullptr,
       true},
      {"ca_file", key_type::string, s{""},
       "CA bundle for the IMAP and SMTP servers (empty: system CAs)."},
      {"allow_plaintext", key_type::boolean, false,
       "Allow imap:// and smtp:// without STARTTLS (only for a server on this host)."},
      {"mailbox", key_type::string, s{"INBOX"}, "The mailbox polled for new mail.", folder_name()},
      {"processed_folder", key_type::string, s{"Processed"},
       "Where a message is moved (and flagged \\Seen) once its submission is durable; created when "
       "absent.",
       folder_name()},
      {"quarantine_folder", key_type::string, s{"Quarantine"},
       "Where mail that cannot be taken is moved; a copy is kept in data_dir/email/quarantine.",
       folder_name()},
      {"poll_interval", key_type::duration, 30 * second, "Pause between two polls of the mailbox."},
      {"poll_backoff_max", key_type::duration, 300 * second,
       "Longest pause between polls while the server is unreachable or refuses: the pause "
       "doubles from poll_interval after each failed poll, and is poll_interval again after the "
       "first good one."},
      {"idle", key_type::boolean, true,
       "Wait for new mail with IMAP IDLE on a second connection where the server offers it, and "
       "poll at once when it comes; poll_interval still applies (and is all there is without "
       "IDLE)."},
      {"idle_renew", key_type::duration, 25 * minute,
       "How long one IDLE lasts before it is renewed (RFC 2177: under 29 minutes).",
       duration_between(second, 29 * minute, "must be between 1s and 29m")},
      {"idle_reconnect_min", key_type::duration, 1 * second,
       "Pause before the IDLE connection is tried again after a failure; doubled each time."},
      {"idle_reconnect_max", key_type::duration, 5 * minute,
       "Longest pause between two attempts at the IDLE connection."},
      {"connect_timeout", key_type::duration, 10 * second, "Deadline to connect to IMAP or SMTP."},
      {"command_timeout", key_type::duration, 120 * second,
       "Deadline of one IMAP command (a fetch of the largest message included) or one SMTP send."},
      {"submit_timeout", key_type::duration, 30 * second,
       "How long the poller waits for a submission's durable commit before trying again later."},
      {"max_message_bytes", key_type::size, 32 * mib,
       "Largest message fetched; a larger one is quarantined without a copy."},
      {"max_attachments", key_type::integer, std::int64_t{16},
       "Attachments stored per message (each also capped by media.max_bytes).",
       config::in_range(0, 1000)},
      {"max_attempts", key_type::integer, std::int64_t{5},
       "Failed attempts at one message (other than a full outbox) before it is quarantined.",
       config::in_range(1, 100)},
      {"reply_enabled", key_type::boolean, true,
       "Answer each new request with its tracking number (needs smtp_url and reply_from)."},
      {"smtp_url", key_type::string, s{""},
       "SMTP server for replies: smtps://host:465 or smtp://host:587 (STARTTLS). Empty: no "
       "replies.",
       config::matches_pattern(R"((smtps?://[^\s/]+/?)?)",
                               "must be smtp://host[:port] or smtps://host[:port]")},
      {"smtp_username", key_type::string, s{""}, "SMTP login (empty: none)."},
      {"smtp_password_file",
       key_type::secret_file,
       {},
       "File holding the SMTP password.",
       nullptr,
       true},
      {"reply_from", key_type::string, s{""}, "The address replies come from (the mailbox's own)."},
      {"reply_from_name", key_type::string, s{"12345政务服务便民热线"},
       "Display name of reply_from."},
      {"reply_subject", key_type::string, s{"来信已受理（受理编号 {tracking_number}）"},
       "Subject of a reply; {tracking_number} is replaced."},
      {"reply_body", key_type::string, s{""},
       "Text of a reply with {tracking_number} and {advice} (the emergency line, or nothing). "
       "Empty: the built-in Chinese and English text."},
      {"reply_per_address_burst", key_type::integer, std::int64_t{5},
       "Replies one address may get at once (no mail loops, no flooding).",
       config::in_range(1, 1000)},
      {"reply_per_address_interval", key_type::duration, 720 * second,
       "Beyond the burst, one more reply per address per this interval."},
      {"reply_queue_limit", key_type::integer, std::int64_t{1000},
       "Replies waiting to be sent, at most.", config::in_range(1, 1000000)},
      {"reply_max_attempts", key_type::integer, std::int64_t{6},
       "Attempts per reply before giving up.", config::in_range(1, 100)},
      {"reply_backoff_min", key_type::duration, 5 * second,
       "Delay before retrying a failed reply; doubled each time."},
      {"reply_backoff_max", key_type::duration, 600 * second,
       "Longest delay between reply attempts."},
  };
}

email_settings read_email_settings(const config::config& cfg) {
  auto key = [](const char* name) { return prefix + name; };
  email_settings out;
  out.imap.url = cfg.get_string(key("imap_url"));  // set: required_when "enabled"
  out.imap.username = cfg.get_string(key("username"));
  if (cfg.has(key("password_file"))) out.imap.password = cfg.read_secret(key("password_file"));
  out.imap.ca_file = cfg.get_string(key("ca_file"));
  out.imap.allow_plaintext = cfg.get_bool(key("allow_plaintext"));
  out.imap.connect_timeout = cfg.get_duration(key("connect_timeout"));
  out.imap.command_timeout = cfg.get_duration(key("command_timeout"));
  out.mailbox = cfg.get_string(key("mailbox"));
  out.processed_folder = cfg.get_string(key("processed_folder"));
  out.quarantine_folder = cfg.get_string(key("quarantine_folder"));
  if (out.processed_folder == out.mailbox || out.quarantine_folder == out.mailbox)
    throw std::runtime_error(key("processed_folder") + ": must differ from the polled mailbox");
  out.poll_interval = cfg.get_duration(key("poll_interval"));
  out.poll_backoff_max = std::max(cfg.get_duration(key("poll_backoff_max")), out.poll_interval);
  out.submit_timeout = cfg.get_duration(key("submit_timeout"));
  out.idle = cfg.get_bool(key("idle"));
  out.idle_renew = cfg.get_duration(key("idle_renew"));
  out.idle_reconnect_min = cfg.get_duration(key("idle_reconnect_min"));
  out.idle_reconnect_max =
      std::max(out.idle_reconnect_min, cfg.get_duration(key("idle_reconnect_max")));
  out.max_message_bytes = cfg.get_size(key("max_message_bytes"));
  out.max_attachments = static_cast<std::size_t>(cfg.get_int(key("max_attachments")));
  out.max_attempts = static_cast<int>(cfg.get_int(key("max_attempts")));

  out.smtp.url = cfg.get_string(key("smtp_url"));
  out.smtp.username = cfg.get_string(key("smtp_username"));
  if (cfg.has(key("smtp_password_file")))
    out.smtp.password = cfg.read_secret(key("smtp_password_file"));
  out.smtp.ca_file = out.imap.ca_file;
  out.smtp.allow_plaintext = out.imap.allow_plaintext;
  out.smtp.connect_timeout = out.imap.connect_timeout;
  out.smtp.command_timeout = out.imap.command_timeout;
  out.replies = cfg.get_bool(key("reply_enabled")) && !out.smtp.url.empty();
  // Known even without replies: a message from our own address is never taken.
  if (auto from = normalize::normalize_email(cfg.get_string(key("reply_from")))) {
    out.reply.from_address = *from;
    out.reply.message_id_host = from->substr(from->find('@') + 1);
  } else if (out.replies) {
    throw std::runtime_error(key("reply_from") +
                             ": a valid address is required when smtp_url is set");
  }
  out.reply.from_name = cfg.get_string(key("reply_from_name"));
  out.reply.subject = cfg.get_string(key("reply_subject"));
  out.reply.body = cfg.get_string(key("reply_body"));
  out.dispatch.channel = "email";
  out.dispatch.per_recipient_burst =
      static_cast<double>(cfg.get_int(key("reply_per_address_burst")));
  out.dispatch.per_recipient_interval = cfg.get_duration(key("reply_per_address_interval"));
  out.dispatch.max_queue = static_cast<std::size_t>(cfg.get_int(key("reply_queue_limit")));
  out.dispatch.max_attempts = static_cast<int>(cfg.get_int(key("reply_max_attempts")));
  out.dispatch.backoff_min = cfg.get_duration(key("reply_backoff_min"));
  out.dispatch.backoff_max = cfg.get_duration(key("reply_backoff_max"));
  return out;
}

}  // namespace intake::channels::email
