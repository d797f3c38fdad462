#pragma once
// What a server shares with its sessions: settings, routes, metrics, the registry of open
// connections (for the connection limit, the choice of which idle one gives way, and shutdown)
// and the gate that keeps late responses from touching a server that is gone. Held by shared_ptr so
// that a session, or a respond_fn kept by some other component, never refers to freed memory.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
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
inline constexpr std::string_view evicted_metric = "intake_http_evicted_connections_total";

/// The registry's answer to a new connection.
struct admission {
  bool admitted = false;
  /// An idle connection that must give way (begin_shutdown() it outside any lock).
  std::shared_ptr<session> evicted;
};

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

  /// Adds an open connection. At the limit, the connection idle the longest (between
  /// requests, holding nothing but its socket) gives way to the new one: otherwise a client
  /// that opens connections and sends nothing would lock everyone else out until the idle
  /// deadline. Not admitted when every connection is busy with a request (the caller drops the
  /// session) or when the server is shutting down.
  admission add(std::uint64_t id, const std::shared_ptr<session>& s) {
    std::lock_guard lock(mutex_);
    admission out;
    if (shutting_down_) return out;
    // Connections already asked to give way close at their next turn: they hold no place.
    if (sessions_.size() - leaving_.size() >= options.max_connections) {
      out.evicted = take_longest_idle_locked();
      if (!out.evicted) return out;
    }
    sessions_.emplace(id, s);
    out.admitted = true;
    metrics.set_gauge(connections_metric, {}, static_cast<double>(sessions_.size()));
    return out;
  }

  /// Called by a session's destructor; ids never added are ignored.
  void remove(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    forget_idle_locked(id);
    leaving_.erase(id);
    if (sessions_.erase(id) == 0) return;
    metrics.set_gauge(connections_metric, {}, static_cast<double>(sessions_.size()));
    if (sessions_.empty()) emptied_.notify_all();
  }

  /// The connection waits for the first byte of its next request.
  void mark_idle(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    if (!sessions_.count(id) || leaving_.count(id)) return;
    forget_idle_locked(id);
    const auto order = ++idle_counter_;
    idle_order_.emplace(id, order);
    idle_by_order_.emplace(order, id);
  }

  /// A request began on the connection, or it is closing.
  void mark_busy(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    forget_idle_locked(id);
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
  void forget_idle_locked(std::uint64_t id) {
    auto it = idle_order_.find(id);
    if (it == idle_order_.end()) return;
    idle_by_order_.erase(it->second);
    idle_order_.erase(it);
  }

  std::shared_ptr<session> take_longest_idle_locked() {
    while (!idle_by_order_.empty()) {
      const auto id = idle_by_order_.begin()->second;
      forget_idle_locked(id);
      auto found = sessions_.find(id);
      if (found == sessions_.end()) continue;
      if (auto s = found->second.lock()) {
        leaving_.insert(id);
        metrics.count(evicted_metric);
        return s;
      }
    }
    return nullptr;
  }

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
  // Idle connections, oldest first (order → id), and each one's order (id → order).
  std::map<std::uint64_t, std::uint64_t> idle_by_order_;
  std::unordered_map<std::uint64_t, std::uint64_t> idle_order_;
  std::uint64_t idle_counter_ = 0;
  // Asked to give way to a new connection, not yet closed.
  std::unordered_set<std::uint64_t> leaving_;
  std::uint64_t last_id_ = 0;
  bool shutting_down_ = false;

  std::mutex gate_mutex_;
  bool gate_open_ = true;
};

}  // namespace intake::http::detail
