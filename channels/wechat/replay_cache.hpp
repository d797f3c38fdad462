#pragma once
// WeChat pushes a message again when it had no answer within 5 s (three tries in all). The
// cache remembers each message's outcome for a while, so a retry is answered with the same
// tracking number and makes no second event; the pipeline's idempotency key covers a retry
// that arrives after a restart.
#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/core/clock.hpp"

namespace intake::channels::wechat {

class replay_cache {
 public:
  replay_cache(std::chrono::seconds keep_for, std::size_t max_entries)
      : keep_for_(keep_for), max_entries_(max_entries) {}

  enum class state { fresh, in_flight, answered };
  struct lookup {
    state seen = state::fresh;
    std::string answer;  // the reply text, when answered
  };

  /// Claims `key` for a new message (fresh) or reports what an earlier copy got.
  lookup claim(const std::string& key, core::sys_time now);
  /// The message was answered with `answer`: retries get the same.
  void answered(const std::string& key, std::string answer);
  /// The message failed: a retry may try again.
  void release(const std::string& key);

 private:
  struct entry {
    bool done = false;
    std::string answer;
    core::sys_time at;
  };
  void expire(core::sys_time now);

  std::chrono::seconds keep_for_;
  std::size_t max_entries_;
  std::mutex mutex_;
  std::unordered_map<std::string, entry> entries_;
  std::deque<std::pair<core::sys_time, std::string>> order_;
};

}  // namespace intake::channels::wechat
