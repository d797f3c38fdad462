#include "common/joiner/joiner.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "common/core/log.hpp"
#include "common/joiner/part_store.hpp"

namespace intake::joiner {

namespace {

enum class phase { open, flushing, waiting_retry, failed };

struct live_window {
  window w;
  phase state = phase::open;
  std::int64_t due_ms = 0;  // when to hand it on (open: last part + quiet; retry: next attempt)
  std::size_t bytes = 0;
};

constexpr std::int64_t purge_every_ms = 3600 * 1000;
// The longest the thread sleeps without looking at the clock: keeps an injected clock usable.
constexpr auto max_sleep = std::chrono::milliseconds(200);

}  // namespace

struct joiner::state {
  joiner_options options;
  open_window_fn open;
  flush_fn flush;
  std::unique_ptr<part_store> store;

  mutable std::mutex mutex;
  std::condition_variable wake;
  struct pending_add {
    part p;
    bool close_now;
    add_done done;
  };
  std::deque<pending_add> adds;                // run on the thread, in order
  std::deque<std::function<void()>> finishes;  // consumers' answers, run on the thread
  bool started = false;
  bool stopping = false;
  joiner_stats counts;  // copied out by stats(); guarded by mutex

  // The thread's own: no lock needed.
  std::map<std::int64_t, live_window> windows;
  std::map<std::string, std::int64_t> open_by_key;
  std::int64_t last_purge_ms = 0;

  std::int64_t now_ms() const { return core::to_unix_ms(options.now()); }

  void post(std::function<void()> command) {
    {
      std::lock_guard lock(mutex);
      if (stopping) return;  // what it would have done is redone from the file at next start
      finishes.push_back(std::move(command));
    }
    wake.notify_one();
  }

  void publish_counts() {
    joiner_stats s;
    for (const auto& [id, lw] : windows) {
      switch (lw.state) {
        case phase::open:
          ++s.open_windows;
          break;
        case phase::flushing:
        case phase::waiting_retry:
          ++s.flushing_windows;
          break;
        case phase::failed:
          ++s.failed_windows;
          break;
      }
    }
    std::lock_guard lock(mutex);
    s.flushed_windows = counts.flushed_windows;
    counts = s;
  }

  void hand_on(live_window& lw) {
    if (lw.state == phase::open) {
      auto it = open_by_key.find(lw.w.key);
      if (it != open_by_key.end() && it->second == lw.w.id) open_by_key.erase(it);
    }
    lw.state = phase::flushing;
    std::weak_ptr<state> weak = self;
    const std::int64_t id = lw.w.id;
    flush(lw.w, [weak, id](core::result<void> outcome) {
      if (auto s = weak.lock()) {
        s->post([raw = s.get(), id, outcome = std::move(outcome)] { raw->finish(id, outcome); });
      }
    });
  }

  void finish(std::int64_t id, const core::result<void>& outcome) {
    auto it = windows.find(id);
    if (it == windows.end()) return;
    live_window& lw = it->second;
    if (outcome) {
      if (auto r = store->remove_window(id); !r) {
        // Harmless: the window is handed on again at the next start and its consumer
        // recognises it by its idempotency key.
        core::log::warn("joiner_window_not_removed",
                        {{"token", lw.w.token}, {"reason", r.error().message}});
      }
      windows.erase(it);
      std::lock_guard lock(mutex);
      ++counts.flushed_windows;
      return;
    }
    if (core::is_retryable(outcome.error().code)) {
      lw.state = phase::waiting_retry;
      lw.due_ms = now_ms() + options.retry_delay.count();
      core::log::warn("joiner_window_retry",
                      {{"token", lw.w.token}, {"code", core::code_name(outcome.error().code)}});
      return;
    }
    lw.state = phase::failed;
    core::log::error("joiner_window_refused", {{"token", lw.w.token},
                                               {"code", core::code_name(outcome.error().code)},
                                               {"reason", outcome.error().message}});
  }

  void add(part p, bool close_now, const add_done& done) {
    if (!p.part_id.empty()) {
      auto known = store->token_of(p.part_id);
      if (!known) return done(tl::unexpected(known.error()));
      if (*known) return done(add_outcome{add_status::repeated, **known});
    }
    const stored_part stored{p.part_id, p.body, core::to_unix_ms(p.received_at)};
    if (auto it = open_by_key.find(p.key); it != open_by_key.end()) {
      live_window& lw = windows.at(it->second);
      const bool full =
          lw.w.parts.size() + 1 > options.max_parts || lw.bytes + p.body.size() > options.max_bytes;
      if (full) {
        hand_on(lw);  // and the part opens a new window below
      } else {
        if (auto r = store->append(lw.w.id, lw.w.token, stored); !r) {
          return done(tl::unexpected(r.error()));
        }
        lw.bytes += p.body.size();
        lw.due_ms = stored.received_ms + options.quiet_period.count();
        lw.w.parts.push_back(std::move(p));
        done(add_outcome{add_status::appended, lw.w.token});
        if (close_now) hand_on(lw);
        return;
      }
    }
    auto token = open(p);
    if (!token) return done(tl::unexpected(token.error()));
    auto id = store->open_window(p.key, *token, stored);
    if (!id) return done(tl::unexpected(id.error()));
    live_window lw;
    lw.w.id = *id;
    lw.w.key = p.key;
    lw.w.token = *token;
    lw.bytes = p.body.size();
    lw.due_ms = stored.received_ms + options.quiet_period.count();
    lw.w.parts.push_back(std::move(p));
    auto& placed = windows.emplace(*id, std::move(lw)).first->second;
    open_by_key[placed.w.key] = *id;
    done(add_outcome{add_status::opened, placed.w.token});
    if (close_now) hand_on(placed);
  }

  // Hands on every window whose time has come; returns when the next one is due.
  std::int64_t hand_on_due() {
    const std::int64_t now = now_ms();
    std::int64_t next = std::numeric_limits<std::int64_t>::max();
    for (auto& [id, lw] : windows) {
      if (lw.state != phase::open && lw.state != phase::waiting_retry) continue;
      if (lw.due_ms <= now) {
        hand_on(lw);
      } else {
        next = std::min(next, lw.due_ms);
      }
    }
    return next;
  }

  void purge_part_ids() {
    const std::int64_t now = now_ms();
    if (now - last_purge_ms < purge_every_ms) return;
    last_purge_ms = now;
    if (auto r = store->forget_part_ids_before(now - options.part_id_retention.count()); !r) {
      core::log::warn("joiner_purge_failed", {{"reason", r.error().message}});
    }
  }

  std::weak_ptr<state> self;
};

joiner::joiner(joiner_options options, open_window_fn open, flush_fn flush)
    : state_(std::make_shared<state>()) {
  state_->self = state_;
  state_->options = std::move(options);
  state_->open = std::move(open);
  state_->flush = std::move(flush);
  state_->store = std::make_unique<part_store>(state_->options.path);
  auto loaded = state_->store->load_all();
  if (!loaded) throw std::runtime_error(state_->options.path + ": " + loaded.error().message);
  for (auto& sw : *loaded) {
    live_window lw;
    lw.w.id = sw.id;
    lw.w.key = sw.key;
    lw.w.token = sw.token;
    for (auto& sp : sw.parts) {
      lw.bytes += sp.body.size();
      lw.w.parts.push_back(part{sw.key, std::move(sp.part_id), std::move(sp.body),
                                core::from_unix_ms(sp.received_ms)});
    }
    lw.due_ms = sw.last_ms + state_->options.quiet_period.count();
    // Two windows of one key: the older was being handed on when the process stopped.
    if (auto it = state_->open_by_key.find(sw.key); it != state_->open_by_key.end()) {
      state_->windows.at(it->second).due_ms = 0;
    }
    state_->open_by_key[sw.key] = sw.id;
    state_->windows.emplace(sw.id, std::move(lw));
  }
  if (!state_->windows.empty()) {
    core::log::info("joiner_windows_replayed",
                    {{"windows", std::to_string(state_->windows.size())}});
  }
  state_->publish_counts();
}

joiner::~joiner() {
  stop();
}

void joiner::start() {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->started) return;
    state_->started = true;
  }
  thread_ = std::thread([this] { run(); });
}

void joiner::add(part p, bool close_now, add_done done) {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping || !state_->started) {
      done(core::fail(core::errc::shutting_down, "the message joiner is not running"));
      return;
    }
    state_->adds.push_back(state::pending_add{std::move(p), close_now, std::move(done)});
  }
  state_->wake.notify_one();
}

void joiner::run() {
  auto& s = *state_;
  while (true) {
    const std::int64_t next_due = s.hand_on_due();
    s.purge_part_ids();
    s.publish_counts();
    std::deque<std::function<void()>> finishes;
    std::deque<state::pending_add> adds;
    {
      std::unique_lock lock(s.mutex);
      const auto wait = std::chrono::milliseconds(
          std::clamp<std::int64_t>(next_due - s.now_ms(), 0, max_sleep.count()));
      s.wake.wait_for(lock, wait,
                      [&] { return s.stopping || !s.adds.empty() || !s.finishes.empty(); });
      if (s.stopping) break;
      finishes.swap(s.finishes);
      adds.swap(s.adds);
    }
    for (auto& finish : finishes) finish();
    for (auto& a : adds) s.add(std::move(a.p), a.close_now, a.done);
  }
}

void joiner::stop() {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping) return;
    state_->stopping = true;
  }
  state_->wake.notify_one();
  if (thread_.joinable()) thread_.join();
  // Parts that were never stored are refused, so their senders retry after the restart.
  std::deque<state::pending_add> left;
  {
    std::lock_guard lock(state_->mutex);
    left.swap(state_->adds);
    state_->finishes.clear();
  }
  for (auto& a : left) {
    a.done(core::fail(core::errc::shutting_down, "the collector is stopping; retry later"));
  }
}

joiner_stats joiner::stats() const {
  std::lock_guard lock(state_->mutex);
  return state_->counts;
}

}  // namespace intake::joiner
