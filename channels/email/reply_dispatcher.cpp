#include "channels/email/reply_dispatcher.hpp"

#include <algorithm>

#include "common/core/log.hpp"

namespace intake::channels::email {

namespace {
constexpr std::string_view replies_metric = "intake_email_replies_total";
// Beyond this many remembered addresses, those with no reply inside the window are forgotten.
constexpr std::size_t max_remembered_addresses = 10000;
}  // namespace

reply_dispatcher::reply_dispatcher(dispatcher_options options, send_fn send, core::metrics& metrics)
    : options_(options), send_(std::move(send)), metrics_(metrics) {
  metrics_.describe(replies_metric, "counter",
                    "E-mail replies by outcome (sent, retried, failed, rate_limited, queue_full, "
                    "dropped_at_stop).");
}

reply_dispatcher::~reply_dispatcher() {
  stop();
}

void reply_dispatcher::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void reply_dispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  if (!queue_.empty()) {
    metrics_.count(replies_metric, {{"outcome", "dropped_at_stop"}}, queue_.size());
    core::log::warn("email_replies_dropped_at_stop", {{"count", std::to_string(queue_.size())}});
    queue_.clear();
  }
}

std::size_t reply_dispatcher::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

bool reply_dispatcher::allow_address(const std::string& address, clock::time_point now) {
  const auto horizon = now - options_.per_address_window;
  if (recent_.size() > max_remembered_addresses) {
    std::erase_if(recent_,
                  [&](const auto& kv) { return kv.second.empty() || kv.second.back() < horizon; });
  }
  auto& times = recent_[address];
  while (!times.empty() && times.front() < horizon) times.pop_front();
  if (static_cast<int>(times.size()) >= options_.per_address_limit) return false;
  times.push_back(now);
  return true;
}

admission reply_dispatcher::enqueue(outgoing_reply reply) {
  {
    std::lock_guard lock(mutex_);
    const auto now = clock::now();
    if (queue_.size() >= options_.queue_limit) {
      metrics_.count(replies_metric, {{"outcome", "queue_full"}});
      return admission::queue_full;
    }
    if (!allow_address(reply.recipient, now)) {
      metrics_.count(replies_metric, {{"outcome", "rate_limited"}});
      core::log::info("email_reply_rate_limited", {{"tracking_number", reply.tracking_number}});
      return admission::rate_limited;
    }
    queue_.push_back(entry{std::move(reply), 0, now});
  }
  wake_.notify_all();
  return admission::queued;
}

std::chrono::milliseconds reply_dispatcher::backoff(int attempts) {
  auto delay = options_.retry_min;
  for (int i = 1; i < attempts && delay < options_.retry_max; ++i) delay *= 2;
  delay = std::min(delay, options_.retry_max);
  // ±25 % so that replies refused together are not retried together.
  std::uniform_real_distribution<double> spread(0.75, 1.25);
  return std::chrono::milliseconds(
      static_cast<long long>(static_cast<double>(delay.count()) * spread(jitter_)));
}

void reply_dispatcher::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      continue;
    }
    // The entry due first (retries wait behind their backoff; new replies are due now).
    auto next = std::min_element(queue_.begin(), queue_.end(),
                                 [](const entry& a, const entry& b) { return a.due < b.due; });
    if (next->due > clock::now()) {
      wake_.wait_until(lock, next->due);
      continue;
    }
    entry e = std::move(*next);
    queue_.erase(next);
    lock.unlock();
    ++e.attempts;
    const auto sent = send_(e.reply);
    lock.lock();
    if (sent) {
      metrics_.count(replies_metric, {{"outcome", "sent"}});
      core::log::info("email_reply_sent", {{"tracking_number", e.reply.tracking_number},
                                           {"attempts", std::to_string(e.attempts)}});
      continue;
    }
    const bool permanent = sent.error().code == core::errc::invalid_email;
    if (permanent || e.attempts >= options_.max_attempts) {
      metrics_.count(replies_metric, {{"outcome", "failed"}});
      core::log::warn("email_reply_failed", {{"tracking_number", e.reply.tracking_number},
                                             {"attempts", std::to_string(e.attempts)},
                                             {"reason", sent.error().message}});
      continue;
    }
    metrics_.count(replies_metric, {{"outcome", "retried"}});
    const auto delay = backoff(e.attempts);
    e.due = clock::now() + delay;
    core::log::info("email_reply_retry", {{"tracking_number", e.reply.tracking_number},
                                          {"attempts", std::to_string(e.attempts)},
                                          {"retry_in_ms", std::to_string(delay.count())},
                                          {"reason", sent.error().message}});
    queue_.push_back(std::move(e));
  }
}

}  // namespace intake::channels::email
