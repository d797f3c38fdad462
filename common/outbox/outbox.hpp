#pragma once
// The durable store between intake and the forwarder (the spool). One writer thread commits
// submissions in batches (group commit: many submissions share one fsync); a job learns its
// outcome only after the commit that holds it. The forwarder reads pending events through its
// own connection and acknowledges them after PUBACK.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/outbox/rows.hpp"
#include "common/outbox/sqlite_db.hpp"
#include "common/outbox/write_txn.hpp"

namespace intake::outbox {

struct outbox_options {
  std::string path;  // the SQLite file
  std::int64_t max_events = 2'000'000;
  std::uint64_t max_bytes = 2ULL << 30;
  int commit_batch = 1024;
  /// First serial of a new file. Seeded from the clock so that a wiped data directory does not
  /// hand out tracking numbers again.
  std::int64_t initial_serial = 1;
};

struct outbox_stats {
  std::int64_t depth = 0;  // undelivered events (not dead-lettered)
  std::uint64_t bytes = 0;
  std::optional<std::int64_t> oldest_ms;
  std::int64_t dead_letters = 0;
  std::uint64_t commits = 0;
  std::uint64_t committed_jobs = 0;
  double apply_seconds = 0;       // writer time spent applying jobs (dedup, encoding, inserts)
  double commit_seconds = 0;      // writer time spent in COMMIT (the fsync)
  double writer_cpu_seconds = 0;  // CPU time the writer thread used
};

class outbox {
 public:
  /// Opens or creates the store and starts the writer. Throws std::runtime_error (startup).
  explicit outbox(outbox_options options);
  ~outbox();
  outbox(const outbox&) = delete;
  outbox& operator=(const outbox&) = delete;

  /// Queues a job for the next commit. After stop(), the job finishes with shutting_down.
  void submit(std::unique_ptr<write_job> job);

  /// The broker has the event: delete it in a later commit and never hand it out again.
  void acknowledge(std::int64_t seq);
  /// The broker refused the event for good: keep it aside for replay.
  void dead_letter(std::int64_t seq, std::string reason);
  /// Puts dead letters back in the queue (all when `event_id` is empty); returns how many.
  core::result<std::int64_t> replay_dead_letters(const std::string& event_id);

  /// Deletes records received before `cutoff_ms` (their events are long delivered); returns how
  /// many. Runs through the writer like any write.
  core::result<std::int64_t> purge_records_before(std::int64_t cutoff_ms);

  /// Undelivered events of one priority with seq > `after`, oldest first, without those
  /// already acknowledged. Called from the forwarder thread.
  std::vector<pending_event> fetch(int priority, std::int64_t after, std::size_t limit);

  /// Called on the writer thread after each commit that added events.
  void set_commit_listener(std::function<void()> listener);

  outbox_stats stats() const;
  /// The record stored under `serial` (a tracking number's serial), for status queries.
  core::result<std::optional<record_state>> record_by_serial(std::int64_t serial) const;
  /// False after a commit failed until a later commit succeeds. While it is false the writer
  /// tries an empty commit every second, so a disk that has space again is noticed without
  /// waiting for a submission.
  bool writable() const { return writable_.load() && !failed_.load(); }
  /// Set for good once the disk failed (an I/O error, a failed fsync, a corrupt or read-only
  /// file; not a full disk): from then on every job is refused with storage_unavailable and
  /// nothing more is written, because the file and the kernel's cache can no longer be trusted
  /// to agree. The owner should stop; a restart reopens the file as the disk has it. Says why.
  std::optional<std::string> failure() const;
  /// Commits everything queued, then stops the writer. Idempotent.
  void stop();

 private:
  class txn_impl;
  void writer_loop();
  /// Runs one statement on the writer thread, in its turn; returns the rows it changed.
  core::result<std::int64_t> run_counted(std::string sql, std::function<void(statement&)> bind);
  void commit_batch(std::vector<std::unique_ptr<write_job>>& jobs, std::vector<std::int64_t>& acks,
                    std::vector<std::pair<std::int64_t, std::string>>& deads);
  /// After a commit failed: logs a change of state once, and marks the outbox failed for good
  /// when the disk failed.
  void note_write_failure(const write_failure& failure);

  outbox_options options_;
  database writer_db_;
  mutable std::mutex reader_mutex_;
  database reader_db_;
  statement fetch_stmt_;
  statement oldest_stmt_;
  statement record_stmt_;
  statement event_pending_stmt_;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<std::unique_ptr<write_job>> queue_;
  std::vector<std::int64_t> ack_queue_;
  std::vector<std::pair<std::int64_t, std::string>> dead_queue_;
  bool stopping_ = false;

  // Acknowledged but not yet deleted: fetch() must skip these.
  mutable std::mutex acked_mutex_;
  std::set<std::int64_t> acked_;

  std::function<void()> commit_listener_;
  std::atomic<std::int64_t> depth_{0};
  std::atomic<std::int64_t> bytes_{0};
  std::atomic<std::int64_t> dead_count_{0};
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> committed_jobs_{0};
  std::atomic<std::int64_t> apply_ns_{0};
  std::atomic<std::int64_t> commit_ns_{0};
  std::atomic<std::int64_t> writer_cpu_ns_{0};
  std::atomic<bool> writable_{true};
  std::atomic<bool> failed_{false};
  mutable std::mutex failure_mutex_;
  std::string failure_;
  std::int64_t next_serial_ = 1;  // writer thread only

  std::unique_ptr<txn_impl> txn_;
  std::thread writer_;
};

}  // namespace intake::outbox
