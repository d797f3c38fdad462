#pragma once
// Sends replies to citizens off the intake path: enqueue() never blocks and never fails the
// submission that caused it. A queue drained by one thread, retries with exponential backoff,
// and a per-recipient rate limit (no flood of texts to one phone, whatever the cause).
// Replies live in memory: one still queued when the process stops is lost (the citizen's
// tracking number is in the feed all the same).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/core/metrics.hpp"
#include "common/http/rate_limiter.hpp"
#include "common/reply/transport.hpp"

namespace intake::reply {

using steady_time = std::chrono::steady_clock::time_point;

struct dispatcher_options {
  /// The label of this dispatcher's metrics (`sms`, `email`, ...).
  std::string channel;
  /// Replies waiting beyond this are refused (and counted) instead of growing memory.
  std::size_t max_queue = 10000;
  /// Attempts per reply, the first included.
  int max_attempts = 6;
  /// Delay before the second attempt; doubled for each further one, up to backoff_max.
  std::chrono::milliseconds backoff_min{2000};
  std::chrono::milliseconds backoff_max{300000};
  /// Replies one recipient may get: `per_recipient_burst` at once, then one every
  /// `per_recipient_interval`.
  double per_recipient_burst = 3;
  std::chrono::milliseconds per_recipient_interval{60000};
  std::function<steady_time()> now = [] { return std::chrono::steady_clock::now(); };
};

enum class enqueue_outcome { queued, rate_limited, queue_full, stopped };

class dispatcher {
 public:
  dispatcher(dispatcher_options options, transport& carrier, core::metrics& metrics);
  ~dispatcher();
  dispatcher(const dispatcher&) = delete;
  dispatcher& operator=(const dispatcher&) = delete;

  /// Starts the sending thread (tests may instead call send_due() themselves).
  void start();
  /// Stops the thread; replies still queued are dropped and counted. Idempotent.
  void stop();

  /// Queues a reply; never blocks on the transport.
  enqueue_outcome enqueue(message m);

  /// Sends every reply whose time has come, on the calling thread; returns how many attempts
  /// were made. The thread calls it; tests call it with an injected clock.
  std::size_t send_due();
  /// Replies waiting (for their first attempt or a retry).
  std::size_t queued() const;
  /// The delay before attempt `attempt` + 1 after `attempt` failed ones.
  std::chrono::milliseconds backoff(int attempt) const;

 private:
  struct pending {
    message m;
    int attempts = 0;
  };
  void run();
  void count(std::string_view outcome);

  dispatcher_options options_;
  transport& carrier_;
  core::metrics& metrics_;
  http::rate_limiter limiter_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<steady_time, pending> queue_;  // by due time; same time keeps arrival order
  bool started_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace intake::reply
