#pragma once
// The e-mail channel's own transport: a thread that polls one IMAP mailbox, turns each new
// message into a submission, and only once that submission is durable flags the message \Seen,
// moves it to the processed folder and queues the reply. A crash anywhere in between re-reads
// the message after restart; its Message-ID (the idempotency key) gets the first answer back
// and nothing new is stored.
//
// The poller reads the mailbox every poll_interval, and at once when woken (idle_watcher hears
// of new mail through IMAP IDLE, which libcurl cannot do): one code path for every fetch, flag
// and move, which also recovers from every dropped connection on its own. While the server is
// unreachable or refuses, the pause between polls doubles up to poll_backoff_max, so a mailbox
// down for hours is not knocked at every few seconds; the first good poll brings the pause back
// to poll_interval.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "channels/channel.hpp"
#include "channels/email/email_settings.hpp"
#include "channels/email/imap_client.hpp"
#include "channels/email/loop_guard.hpp"
#include "channels/email/mailbox_state.hpp"
#include "channels/email/parsed_email.hpp"
#include "common/reply/dispatcher.hpp"

namespace intake::channels::email {

class mailbox_poller {
 public:
  /// `replies` may be null (no SMTP configured).
  mailbox_poller(email_settings settings, channel_context& ctx, reply::dispatcher* replies);
  ~mailbox_poller();
  mailbox_poller(const mailbox_poller&) = delete;
  mailbox_poller& operator=(const mailbox_poller&) = delete;

  void start();
  void stop();
  /// Polls now rather than at the end of the interval (several wakes before the poll starts
  /// make one poll). Any thread.
  void wake();

 private:
  enum class step { next, stop_cycle };

  void run();
  /// False when the server could not be reached or refused a command (the next poll then
  /// waits longer).
  bool poll_once();
  /// Counts and logs a failed poll; returns false for poll_once to pass on.
  bool poll_failed(std::string_view event, const core::error& error);
  /// The pause before the next poll after one that `reached` the server or not.
  std::chrono::milliseconds next_pause(bool reached);
  step handle(std::uint64_t uidvalidity, std::uint64_t uid);
  step take(std::uint64_t uidvalidity, std::uint64_t uid, const std::string& raw,
            const parsed_email& message);
  step finish(std::uint64_t uid, const char* outcome);
  step quarantine(std::uint64_t uidvalidity, std::uint64_t uid, std::string_view raw,
                  std::uint64_t size, const std::string& reason, const std::string& detail);
  step failed_attempt(std::uint64_t uidvalidity, std::uint64_t uid, std::string_view raw,
                      const std::string& detail);
  void queue_reply(const parsed_email& message, const std::string& to,
                   const model::receipt& receipt);
  bool stopping() const;

  email_settings settings_;
  channel_context& ctx_;
  std::atomic<bool> aborting_{false};  // cuts an IMAP command short at shutdown
  reply::dispatcher* replies_;
  own_identity self_;
  std::string state_path_;
  std::string quarantine_dir_;
  imap_client imap_;
  mailbox_state state_;
  bool folders_ready_ = false;
  std::unordered_map<std::uint64_t, int> attempts_;  // UID → failed attempts this UIDVALIDITY
  bool kill_after_commit_ = false;                   // fault injection for the crash test
  int failed_polls_ = 0;                             // in a row; 0 once the server answers
  bool fetch_failed_ = false;                        // a fetch in this poll's cycle failed

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace intake::channels::email
