#pragma once
// The few IMAP commands the poller needs, over libcurl (which speaks IMAP and IMAPS, checks
// certificates and keeps the login between commands). Not thread-safe: one poller owns it.
//
// libcurl's message fetch sends FETCH BODY[] (not BODY.PEEK[]), which sets \Seen as a side
// effect; the poller therefore chooses messages by UID, never by \Seen, and clears \Seen again
// when a message could not be made durable.
#include <cstdint>
#include <string>
#include <vector>

#include "channels/email/curl_handle.hpp"
#include "common/core/result.hpp"

namespace intake::channels::email {

struct mailbox_status {
  std::uint64_t uidvalidity = 0;
  std::uint64_t uidnext = 0;
  std::uint64_t messages = 0;
};

class imap_client {
 public:
  /// `endpoint.url` is the server (imaps://host:993); mailboxes are named per call.
  imap_client(server_endpoint endpoint, std::size_t max_message_bytes);

  /// See curl_handle::abort_when.
  void abort_when(const std::atomic<bool>* flag) { curl_.abort_when(flag); }

  core::result<mailbox_status> status(const std::string& mailbox);
  /// UIDs ≥ `from_uid` in `mailbox`, ascending.
  core::result<std::vector<std::uint64_t>> uids_from(const std::string& mailbox,
                                                     std::uint64_t from_uid);
  /// The whole message. errc::payload_too_large over max_message_bytes; errc::not_found when
  /// the UID is gone or UIDVALIDITY changed.
  core::result<std::string> fetch(const std::string& mailbox, std::uint64_t uidvalidity,
                                  std::uint64_t uid);
  core::result<void> set_seen(const std::string& mailbox, std::uint64_t uid, bool seen);
  /// UID MOVE (RFC 6851); with servers without MOVE, UID COPY + \Deleted + UID EXPUNGE.
  core::result<void> move(const std::string& mailbox, std::uint64_t uid, const std::string& to);
  /// Creates `mailbox` unless it exists.
  core::result<void> ensure_mailbox(const std::string& mailbox);

 private:
  // Runs `command` with `mailbox` selected (or none when empty); the untagged responses.
  core::result<std::string> command(const std::string& mailbox, const std::string& command);
  bool supports_move();

  server_endpoint endpoint_;
  std::size_t max_message_bytes_;
  curl_handle curl_;
  int move_supported_ = -1;  // unknown until CAPABILITY was asked
};

/// The URL of a mailbox on a server: "imaps://host:993" + "INBOX" → "imaps://host:993/INBOX".
std::string mailbox_url(const std::string& server, const std::string& mailbox);
/// An IMAP quoted string.
std::string imap_quoted(const std::string& text);

}  // namespace intake::channels::email
