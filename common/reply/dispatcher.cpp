#include "common/reply/dispatcher.hpp"

#include <algorithm>
#include <vector>

#include "common/core/log.hpp"

namespace intake::reply {

namespace {
constexpr auto max_sleep = std::chrono::milliseconds(200);
}

dispatcher::dispatcher(dispatcher_options options, transport& carrier, core::metrics& metrics)
    : options_(std::move(options)),
      carrier_(carrier),
      metrics_(metrics),
      limiter_(1000.0 / static_cast<double>(
                            std::max<std::int64_t>(1, options_.per_recipient_interval.count())),
               options_.per_recipient_burst) {
  metrics_.describe("intake_replies_total", "counter",
                    "Replies to citizens by channel and outcome (sent, retried, dropped, "
                    "rate_limited, queue_full, gave_up, abandoned).");
}

dispatcher::~dispatcher() {
  stop();
}

void dispatcher::count(std::string_view outcome) {
  metrics_.count("intake_replies_total", {{"channel", options_.channel}, {"outcome", outcome}});
}

void dispatcher::start() {
  std::lock_guard lock(mutex_);
  if (started_ || stopping_) return;
  started_ = true;
  thread_ = std::thread([this] { run(); });
}

void dispatcher::stop() {
  std::size_t abandoned = 0;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(mutex_);
    abandoned = queue_.size();
    queue_.clear();
  }
  if (abandoned > 0) {
    metrics_.count("intake_replies_total",
                   {{"channel", options_.channel}, {"outcome", "abandoned"}}, abandoned);
    core::log::warn("replies_abandoned",
                    {{"channel", options_.channel}, {"replies", std::to_string(abandoned)}});
  }
}

enqueue_outcome dispatcher::enqueue(message m) {
  const auto now = options_.now();
  std::string_view refused;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return enqueue_outcome::stopped;
    if (queue_.size() >= options_.max_queue) {
      refused = "queue_full";
    } else if (!limiter_.allow(m.recipient, now)) {
      refused = "rate_limited";
    } else {
      queue_.emplace(now, pending{std::move(m), 0});
    }
  }
  if (refused.empty()) {
    wake_.notify_one();
    return enqueue_outcome::queued;
  }
  count(refused);
  core::log::warn("reply_not_queued",
                  {{"channel", options_.channel}, {"tracking", m.tag}, {"reason", refused}});
  return refused == "queue_full" ? enqueue_outcome::queue_full : enqueue_outcome::rate_limited;
}

std::chrono::milliseconds dispatcher::backoff(int attempt) const {
  auto delay = options_.backoff_min;
  for (int i = 1; i < attempt && delay < options_.backoff_max; ++i) delay *= 2;
  return std::min(delay, options_.backoff_max);
}

std::size_t dispatcher::send_due() {
  std::vector<pending> due;
  {
    std::lock_guard lock(mutex_);
    const auto now = options_.now();
    while (!queue_.empty() && queue_.begin()->first <= now) {
      due.push_back(std::move(queue_.begin()->second));
      queue_.erase(queue_.begin());
    }
  }
  for (auto& p : due) {
    ++p.attempts;
    const send_outcome outcome = carrier_.send(p.m);
    const std::string attempt = std::to_string(p.attempts);
    if (outcome == send_outcome::sent) {
      count("sent");
      core::log::info("reply_sent",
                      {{"channel", options_.channel}, {"tracking", p.m.tag}, {"attempt", attempt}});
      continue;
    }
    if (outcome == send_outcome::drop) {
      count("dropped");
      core::log::warn("reply_dropped", {{"channel", options_.channel}, {"tracking", p.m.tag}});
      continue;
    }
    if (p.attempts >= options_.max_attempts) {
      count("gave_up");
      core::log::warn(
          "reply_gave_up",
          {{"channel", options_.channel}, {"tracking", p.m.tag}, {"attempts", attempt}});
      continue;
    }
    count("retried");
    const auto delay = backoff(p.attempts);
    core::log::info("reply_retry", {{"channel", options_.channel},
                                    {"tracking", p.m.tag},
                                    {"attempt", attempt},
                                    {"retry_in_ms", std::to_string(delay.count())}});
    std::lock_guard lock(mutex_);
    queue_.emplace(options_.now() + delay, std::move(p));
  }
  return due.size();
}

std::size_t dispatcher::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void dispatcher::run() {
  while (true) {
    send_due();
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    auto wait = max_sleep;
    if (!queue_.empty()) {
      const auto until = queue_.begin()->first - options_.now();
      wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(until),
                        std::chrono::milliseconds(0), max_sleep);
    }
    wake_.wait_for(lock, wait, [this] {
      return stopping_ || (!queue_.empty() && queue_.begin()->first <= options_.now());
    });
    if (stopping_) return;
  }
}

}  // namespace intake::reply
