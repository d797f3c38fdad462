#include "channels/wechat/replay_cache.hpp"

namespace intake::channels::wechat {

replay_cache::lookup replay_cache::claim(const std::string& key, core::sys_time now) {
  std::lock_guard lock(mutex_);
  expire(now);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    return it->second.done ? lookup{state::answered, it->second.answer}
                           : lookup{state::in_flight, {}};
  }
  entries_[key] = entry{false, {}, now};
  order_.emplace_back(now, key);
  return {state::fresh, {}};
}

void replay_cache::answered(const std::string& key, std::string answer) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  it->second.done = true;
  it->second.answer = std::move(answer);
}

void replay_cache::release(const std::string& key) {
  std::lock_guard lock(mutex_);
  entries_.erase(key);
}

void replay_cache::expire(core::sys_time now) {
  // Oldest first; a key released and claimed again appears twice in order_, and only the
  // entry's own time decides.
  while (!order_.empty() &&
         (order_.front().first + keep_for_ <= now || entries_.size() > max_entries_)) {
    auto it = entries_.find(order_.front().second);
    if (it != entries_.end() && it->second.at == order_.front().first) entries_.erase(it);
    order_.pop_front();
  }
}

}  // namespace intake::channels::wechat
