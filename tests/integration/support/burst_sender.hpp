#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace intake::testing {

/// The outcome of one submission of a burst.
struct send_outcome {
  std::size_t index = 0;
  long status = 0;  ///< 0: no answer (connection refused or reset)
  std::string tracking_number;
};

/// Sends `total` distinct submissions (bulk_description) to one URL from several threads, each
/// with its own keep-alive HTTP client, so a test can crash or stop the collector mid-burst.
class burst_sender {
 public:
  /// With a `pace`, each thread starts one request per pace at most: a steady load rather than
  /// as fast as the collector answers.
  burst_sender(std::string url, std::string tag, std::size_t total, std::size_t threads,
               std::chrono::milliseconds pace = std::chrono::milliseconds(0));
  /// Joins the threads (after stop(), so a destroyed sender never keeps sending).
  ~burst_sender();
  burst_sender(const burst_sender&) = delete;
  burst_sender& operator=(const burst_sender&) = delete;

  /// Asks the threads to stop after their current request.
  void stop() { stop_ = true; }
  /// Waits until every thread finished (each request is bounded by the client's timeout).
  void join();

  std::size_t accepted() const { return accepted_; }
  std::size_t answered() const { return answered_; }
  /// True once `count` submissions got 202; false at the deadline or when all were sent.
  bool wait_accepted(std::size_t count, std::chrono::milliseconds timeout) const;

  std::vector<send_outcome> outcomes() const;
  /// The tracking numbers of the submissions that got 202.
  std::set<std::string> accepted_tracking() const;

 private:
  void run(std::size_t first, std::size_t stride);

  std::string url_;
  std::string tag_;
  std::size_t total_;
  std::chrono::milliseconds pace_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> accepted_{0};
  std::atomic<std::size_t> answered_{0};
  std::atomic<std::size_t> finished_threads_{0};
  mutable std::mutex mutex_;
  std::vector<send_outcome> outcomes_;
  std::vector<std::thread> threads_;
};

}  // namespace intake::testing
