#include "common/http/rate_limiter.hpp"

#include <algorithm>

namespace intake::http {

rate_limiter::rate_limiter(double per_second, double burst, std::size_t max_clients)
    : per_second_(per_second), burst_(std::max(1.0, burst)), max_clients_(max_clients) {}

bool rate_limiter::allow(const std::string& address, clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(address);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) forget_idle(now);
    it = buckets_.emplace(address, bucket{burst_, now}).first;
  }
  auto& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.updated).count();
  b.tokens = std::min(burst_, b.tokens + elapsed * per_second_);
  b.updated = now;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

void rate_limiter::forget_idle(clock::time_point now) {
  // A bucket that would be full again is indistinguishable from a new one: drop it.
  const auto refill = std::chrono::duration<double>(burst_ / std::max(per_second_, 1e-9));
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (now - it->second.updated >= refill) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
  if (buckets_.size() >= max_clients_) buckets_.clear();
}

}  // namespace intake::http
