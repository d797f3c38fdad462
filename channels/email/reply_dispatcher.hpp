#pragma once
// Sends replies on its own thread so that a slow or absent SMTP server never holds up intake:
// a bounded queue, retries with exponential backoff and jitter, a per-address limit so that no
// one (and no robot we failed to recognise) gets more than a few answers per window, and a last
// attempt after which the reply is dropped and counted. Pending replies live in memory only:
// the submission is durable, its answer is best effort.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "common/core/metrics.hpp"
#include "common/core/result.hpp"

namespace intake::channels::email {

struct dispatcher_options {
  std::size_t queue_limit = 1000;
  int max_attempts = 6;
  std::chrono::milliseconds retry_min{5000};
  std::chrono::milliseconds retry_max{600000};
  int per_address_limit = 5;
  std::chrono::milliseconds per_address_window{3600000};
};

struct outgoing_reply {
  std::string recipient;        // normalized address; never logged
  std::string text;             // the composed message
  std::string tracking_number;  // what the logs name
};

enum class admission { queued, rate_limited, queue_full };

class reply_dispatcher {
 public:
  /// `send` delivers one message: errc::invalid_email means refused for good, anything else is
  /// retried. It runs on the dispatcher's thread only.
  using send_fn = std::function<core::result<void>(const outgoing_reply&)>;

  reply_dispatcher(dispatcher_options options, send_fn send, core::metrics& metrics);
  ~reply_dispatcher();
  reply_dispatcher(const reply_dispatcher&) = delete;
  reply_dispatcher& operator=(const reply_dispatcher&) = delete;

  void start();
  /// Stops the thread; replies not yet sent are dropped (and counted).
  void stop();

  admission enqueue(outgoing_reply reply);
  /// Replies waiting (tests).
  std::size_t pending() const;

 private:
  using clock = std::chrono::steady_clock;
  struct entry {
    outgoing_reply reply;
    int attempts = 0;
    clock::time_point due;
  };

  void run();
  bool allow_address(const std::string& address, clock::time_point now);
  std::chrono::milliseconds backoff(int attempts);

  dispatcher_options options_;
  send_fn send_;
  core::metrics& metrics_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<entry> queue_;
  std::map<std::string, std::deque<clock::time_point>> recent_;  // address → reply times
  std::mt19937 jitter_{std::random_device{}()};
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace intake::channels::email
