#pragma once
// Per-client-address token buckets for the intake routes (429 rate_limited beyond them).
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace intake::http {

class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;

  /// `per_second` tokens a second, at most `burst` saved up. Tracks at most `max_clients`
  /// addresses; beyond that, idle buckets are forgotten (memory stays bounded under a flood of
  /// distinct addresses).
  rate_limiter(double per_second, double burst, std::size_t max_clients = 100000);

  /// Takes one token for `address`; false when its bucket is empty.
  bool allow(const std::string& address, clock::time_point now = clock::now());

 private:
  struct bucket {
    double tokens;
    clock::time_point updated;
  };
  void forget_idle(clock::time_point now);

  double per_second_;
  double burst_;
  std::size_t max_clients_;
  std::mutex mutex_;
  std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace intake::http
