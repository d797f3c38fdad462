#pragma once
// What carries a reply to a citizen (Kannel's sendsms, an SMTP server, WeChat's customer-service
// API). The dispatcher decides when to send and how often to retry; a transport only sends.
#include <string>

namespace intake::reply {

/// One reply. `recipient` is personal data: the dispatcher never logs it, only `tag`.
struct message {
  std::string recipient;
  std::string text;
  /// What logs and metrics may name it by: the tracking number.
  std::string tag;
};

/// What became of one attempt (Fluent Bit's ok / retry / error).
enum class send_outcome {
  sent,   // the peer took it
  retry,  // the peer is down or busy: try again later
  drop,   // the peer refused it for good (bad number, wrong credentials): do not retry
};

class transport {
 public:
  virtual ~transport() = default;
  /// Sends one reply, blocking for at most the transport's own timeout. Called from the
  /// dispatcher's thread only, one message at a time. Must not throw.
  virtual send_outcome send(const message& m) = 0;
};

}  // namespace intake::reply
