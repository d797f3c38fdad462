#pragma once
// A few threads for the blocking calls to WeChat's API, so that a slow WeChat never holds the
// HTTP server's threads. The queue is bounded: past it, a request is answered 503 at once.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace intake::channels::wechat_api {

class api_worker {
 public:
  api_worker(int threads, std::size_t max_queued);
  ~api_worker();
  api_worker(const api_worker&) = delete;
  api_worker& operator=(const api_worker&) = delete;

  /// Queues a task; false (and the task is dropped) when the queue is full or stopping.
  bool post(std::function<void()> task);
  /// Runs what is queued, then joins the threads. Idempotent.
  void stop();

 private:
  void run();

  std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace intake::channels::wechat_api
