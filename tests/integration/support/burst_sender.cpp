#include "tests/integration/support/burst_sender.hpp"

#include <algorithm>
#include <thread>

#include "tests/integration/support/http_client.hpp"
#include "tests/integration/support/submissions.hpp"

namespace intake::testing {

burst_sender::burst_sender(std::string url, std::string tag, std::size_t total, std::size_t threads,
                           std::chrono::milliseconds pace)
    : url_(std::move(url)), tag_(std::move(tag)), total_(total), pace_(pace) {
  outcomes_.reserve(total);
  for (std::size_t t = 0; t < threads; ++t) {
    threads_.emplace_back([this, t, threads] { run(t, threads); });
  }
}

burst_sender::~burst_sender() {
  stop();
  join();
}

void burst_sender::join() {
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void burst_sender::run(std::size_t first, std::size_t stride) {
  // A short timeout: a request to a collector that was just killed must not hold the test.
  http_client client(std::chrono::seconds(10));
  auto next_start = std::chrono::steady_clock::now();
  for (std::size_t i = first; i < total_ && !stop_; i += stride) {
    if (pace_.count() > 0) {
      std::this_thread::sleep_until(next_start);
      // After a stall (a stopped collector) the pace resumes; it does not catch up in a burst.
      next_start = std::max(next_start + pace_, std::chrono::steady_clock::now());
    }
    auto answer = read_answer(
        client.post_json(url_, submission_json({.description = bulk_description(tag_, i)})));
    send_outcome outcome{i, answer.response.status, answer.tracking_number.value_or("")};
    {
      std::lock_guard lock(mutex_);
      outcomes_.push_back(std::move(outcome));
    }
    if (answer.response.status != 0) ++answered_;
    if (answer.response.status == 202) ++accepted_;
  }
  ++finished_threads_;
}

bool burst_sender::wait_accepted(std::size_t count, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (accepted_ < count) {
    if (finished_threads_ == threads_.size() || std::chrono::steady_clock::now() >= deadline) {
      return accepted_ >= count;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

std::vector<send_outcome> burst_sender::outcomes() const {
  std::lock_guard lock(mutex_);
  return outcomes_;
}

std::set<std::string> burst_sender::accepted_tracking() const {
  std::set<std::string> out;
  std::lock_guard lock(mutex_);
  for (const auto& o : outcomes_) {
    if (o.status == 202) out.insert(o.tracking_number);
  }
  return out;
}

}  // namespace intake::testing
