#pragma once
// Wakes the mailbox poller as soon as the server reports new mail, with IMAP IDLE (RFC 2177) on
// a connection of its own: libcurl, which the poller reads the mailbox with, cannot IDLE. The
// watcher only listens — it EXAMINEs the mailbox (read-only) and never fetches, flags or moves —
// so that every message still takes the poller's one path. When the server has no IDLE, or the
// watcher cannot stay connected, mail is taken at the poller's own interval, as without it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "channels/email/curl_handle.hpp"
#include "channels/email/imap_connection.hpp"
#include "common/core/metrics.hpp"
#include "common/core/result.hpp"

namespace intake::channels::email {

struct idle_options {
  server_endpoint server;  // the poller's: URL, login, CA file, plaintext policy, deadlines
  std::string mailbox = "INBOX";
  /// How long one IDLE lasts before DONE and a new IDLE (RFC 2177: servers may drop an IDLE
  /// after 30 minutes, so under 29).
  std::chrono::milliseconds renew{25 * 60 * 1000};
  /// Pause after a failed connection, doubled after each further failure up to the maximum.
  std::chrono::milliseconds reconnect_min{1000};
  std::chrono::milliseconds reconnect_max{300000};
};

class idle_watcher {
 public:
  /// `new_mail` is called on the watcher's thread when the mailbox may hold new mail (an
  /// EXISTS or RECENT from the server, or a reconnection after a gap); it must return at once.
  idle_watcher(idle_options options, core::metrics& metrics, std::function<void()> new_mail);
  ~idle_watcher();
  idle_watcher(const idle_watcher&) = delete;
  idle_watcher& operator=(const idle_watcher&) = delete;

  void start();
  /// Ends the connection at once (no deadline is waited for) and joins the thread.
  void stop();

 private:
  enum class session_end { failed, unsupported, stopped };
  using clock = std::chrono::steady_clock;

  void run();
  // One connection, from connect to its end; `reason` says why it ended (never a credential).
  session_end session(std::string& reason);
  core::result<std::vector<std::string>> secure_and_log_in(const imap_address& address,
                                                           std::vector<std::string> capabilities,
                                                           bool logged_in);
  core::result<std::vector<std::string>> ask_capabilities();
  // Sends `tag command` and reads up to its tagged answer; untagged EXISTS/RECENT on the way
  // wake the poller. errc::bad_request when the server answered NO or BAD.
  core::result<imap_response> command(const std::string& command, std::string_view verb,
                                      std::vector<imap_response>* untagged = nullptr);
  core::result<imap_response> finish(const std::string& tag, std::string_view verb,
                                     std::vector<imap_response>* untagged);
  core::result<void> log_in(const std::vector<std::string>& capabilities);
  session_end idle_until_failure(std::string& reason);
  void notice(const imap_response& r);
  std::string next_tag();
  clock::time_point command_deadline() const {
    return clock::now() + options_.server.command_timeout;
  }
  bool stopping() const { return stopping_.load(); }

  idle_options options_;
  core::metrics& metrics_;
  std::function<void()> new_mail_;
  imap_connection connection_;
  unsigned tag_counter_ = 0;
  bool listening_ = false;     // the mailbox is open: EXISTS and RECENT now mean new mail
  bool reached_idle_ = false;  // this connection got as far as IDLE
  bool reconnected_ = false;   // a connection was lost before: mail may have come meanwhile
  // The intake_email_idle_active gauge, shared with the metrics, which may outlive the watcher.
  std::shared_ptr<std::atomic<bool>> active_ = std::make_shared<std::atomic<bool>>(false);

  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace intake::channels::email
