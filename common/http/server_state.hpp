#pragma once
// What a server shares with its sessions: settings, routes, metrics, the registry of open
// connections (for the connection limit and for shutdown) and the gate that keeps late
// responses from touching a server that is gone. Held by shared_ptr so that a session, or a
// respond_fn kept by some other component, never refers to freed memory.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/core/metrics.hpp"
#include "common/http/router.hpp"
#include "common/http/server_options.hpp"

namespace intake::http::detail {

class session;

inline constexpr std::string_view requests_metric = "intake_http_requests_total";
inline constexpr std::string_view duration_metric = "intake_http_request_duration_seconds";
inline constexpr std::string_view connections_metric = "intake_http_connections";
inline constexpr std::string_view rejected_metric = "intake_http_rejected_connections_total";

class server_state {
 public:
  server_state(server_options options, const router& routes, core::metrics& metrics)
      : options(std::move(options)), routes(routes), metrics(metrics) {}

  const server_options options;
  const router& routes;
  core::metrics& metrics;

  /// A fresh connection id (any thread).
  std::uint64_t next_id() {
    std::lock_guard lock(mutex_);
    return ++last_id_;
  }

  /// Adds an open connection; false when the limit is reached or the server is shutting down,
  /// in which case the caller drops the session.
  bool add(std::uint64_t id, const std::shared_ptr<session>& s) {
    std::lock_guard lock(mutex_);
    if (shutting_down_ || sessions_.size() >= options.max_connections) return false;
    sessions_.emplace(id, s);
    metrics.set_gauge(connections_metric, {}, static_cast<double>(sessions_.size()));
    return true;
  }

  /// Called by a session's destructor; ids never added are ignored.
  void remove(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    if (sessions_.erase(id) == 0) return;
    metrics.set_gauge(connections_metric, {}, static_cast<double>(sessions_.size()));
    if (sessions_.empty()) emptied_.notify_all();
  }

  /// Refuses new connections from now on; returns the open ones.
  std::vector<std::shared_ptr<session>> begin_shutdown() {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    return snapshot_locked();
  }

  std::vector<std::shared_ptr<session>> snapshot() {
    std::lock_guard lock(mutex_);
    return snapshot_locked();
  }

  /// Waits until no connection is open or the deadline passes; true when none is open.
  bool wait_until_empty(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return emptied_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
  }

  /// Runs `fn` under the gate unless it is closed; a respond_fn posts to the io_context only
  /// through here, so nothing is posted once the server has stopped its threads.
  template <class Fn>
  void through_gate(Fn&& fn) {
    std::lock_guard lock(gate_mutex_);
    if (gate_open_) fn();
  }
  void close_gate() {
    std::lock_guard lock(gate_mutex_);
    gate_open_ = false;
  }

 private:
  std::vector<std::shared_ptr<session>> snapshot_locked() {
    std::vector<std::shared_ptr<session>> out;
    for (auto& [id, weak] : sessions_) {
      if (auto s = weak.lock()) out.push_back(std::move(s));
    }
    return out;
  }

  std::mutex mutex_;
  std::condition_variable emptied_;
  std::unordered_map<std::uint64_t, std::weak_ptr<session>> sessions_;
  std::uint64_t last_id_ = 0;
  bool shutting_down_ = false;

  std::mutex gate_mutex_;
  bool gate_open_ = true;
};

}  // namespace intake::http::detail
