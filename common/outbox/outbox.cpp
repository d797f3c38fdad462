#include "common/outbox/outbox.hpp"

#include <time.h>

#include <future>
#include <stdexcept>

#include "common/core/log.hpp"
#include "common/outbox/schema.hpp"

namespace intake::outbox {

// The write_txn handed to jobs: prepared statements on the writer connection, plus the
// batch-local counters that enforce the caps before the commit makes them real.
class outbox::txn_impl final : public write_txn {
 public:
  txn_impl(outbox& owner, database& db)
      : owner_(owner),
        insert_event_(
            db.prepare("INSERT INTO events(event_id, topic, priority, payload, created_ms)"
                       " VALUES(?1, ?2, ?3, ?4, ?5)")),
        insert_record_(db.prepare(
            "INSERT INTO records(serial, tracking, received_ms, channel, idem_key,"
            " submitter_ref, match_text, status, duplicate_of, repeat_count, urgency, referral,"
            " original_serial)"
            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")),
        find_idem_(db.prepare("SELECT " + std::string(record_columns) +
                              " FROM records WHERE idem_key = ?1")),
        recent_(db.prepare("SELECT " + std::string(record_columns) +
                           " FROM records WHERE submitter_ref = ?1 AND received_ms >= ?2"
                           " ORDER BY received_ms DESC LIMIT ?3")),
        bump_(db.prepare("UPDATE records SET repeat_count = repeat_count + 1 WHERE serial = ?1"
                         " RETURNING repeat_count")),
        find_serial_(db.prepare("SELECT " + std::string(record_columns) +
                                " FROM records WHERE serial = ?1")),
        insert_key_(db.prepare("INSERT OR IGNORE INTO dedup_keys(scope, band, received_ms, serial)"
                               " VALUES(?1, ?2, ?3, ?4)")),
        by_key_(db.prepare("SELECT serial FROM dedup_keys WHERE scope = ?1 AND band = ?2"
                           " AND received_ms >= ?3 ORDER BY received_ms DESC LIMIT ?4")),
        insert_place_(db.prepare("INSERT OR IGNORE INTO dedup_places(scope, received_ms, serial,"
                                 " sketch) VALUES(?1, ?2, ?3, ?4)")),
        in_place_(db.prepare("SELECT serial, sketch FROM dedup_places WHERE scope = ?1"
                             " AND received_ms >= ?2 ORDER BY received_ms DESC LIMIT ?3")),
        keyed_(db.prepare("SELECT 1 FROM dedup_keyed_scopes WHERE scope = ?1")),
        mark_keyed_(db.prepare("INSERT OR IGNORE INTO dedup_keyed_scopes(scope) VALUES(?1)")) {}

  /// `removed` events leave in this same commit, so they free room for the batch's new ones.
  void begin_batch(std::int64_t next_serial, std::int64_t removed_events,
                   std::int64_t removed_bytes) {
    serial_ = next_serial;
    removed_events_ = removed_events;
    removed_bytes_ = removed_bytes;
    added_events_ = 0;
    added_bytes_ = 0;
    revived_events_ = 0;
  }
  std::int64_t serial() const { return serial_; }
  std::int64_t added_events() const { return added_events_; }
  std::int64_t added_bytes() const { return added_bytes_; }
  std::int64_t revived_events() const { return revived_events_; }
  /// Dead letters put back in the queue by this batch: pending again, and no longer dead.
  void revive_events(std::int64_t events, std::int64_t bytes) {
    added_events_ += events;
    added_bytes_ += bytes;
    revived_events_ += events;
  }

  struct mark {
    std::int64_t serial, events, bytes, revived;
  };
  mark save() const { return {serial_, added_events_, added_bytes_, revived_events_}; }
  void restore(const mark& m) {
    // A failed job's serial is not reused: a gap is harmless, a reuse is not.
    added_events_ = m.events;
    added_bytes_ = m.bytes;
    revived_events_ = m.revived;
  }

  core::result<std::int64_t> next_serial() override { return serial_++; }

  core::result<void> insert_event(const new_event& e) override {
    const auto depth = owner_.depth_.load() + added_events_ - removed_events_;
    const auto bytes = owner_.bytes_.load() + added_bytes_ - removed_bytes_;
    if (depth + 1 > owner_.options_.max_events ||
        static_cast<std::uint64_t>(bytes) + e.payload.size() > owner_.options_.max_bytes) {
      return core::fail(core::errc::outbox_full, "the outbox is full; retry later");
    }
    insert_event_.bind(1, std::string_view(e.event_id))
        .bind(2, std::string_view(e.topic))
        .bind(3, static_cast<std::int64_t>(e.priority))
        .bind_blob(4, e.payload)
        .bind(5, e.created_ms);
    if (auto r = insert_event_.run(); !r) return r;
    ++added_events_;
    added_bytes_ += static_cast<std::int64_t>(e.payload.size());
    return {};
  }

  core::result<void> insert_record(const record_row& r) override {
    insert_record_.bind(1, r.serial)
        .bind(2, std::string_view(r.tracking))
        .bind(3, r.received_ms)
        .bind(4, std::string_view(r.channel))
        .bind(5, r.idem_key)
        .bind(6, r.submitter_ref)
        .bind(7, r.match_text)
        .bind(8, static_cast<std::int64_t>(r.status))
        .bind(9, r.duplicate_of)
        .bind(10, static_cast<std::int64_t>(r.repeat_count))
        .bind(11, static_cast<std::int64_t>(r.urgency))
        .bind(12, r.referral);
    if (r.original_serial) {
      insert_record_.bind(13, *r.original_serial);
    } else {
      insert_record_.bind_null(13);
    }
    return insert_record_.run();
  }

  core::result<std::optional<record_row>> find_by_idempotency(std::string_view key) override {
    find_idem_.bind(1, key);
    auto row = find_idem_.step();
    if (!row) return tl::unexpected(row.error());
    std::optional<record_row> out;
    if (*row) out = read_record(find_idem_);
    find_idem_.reset();
    return out;
  }

  core::result<std::vector<record_row>> recent_by_submitter(std::string_view ref,
                                                            std::int64_t since_ms,
                                                            int limit) override {
    recent_.bind(1, ref).bind(2, since_ms).bind(3, static_cast<std::int64_t>(limit));
    std::vector<record_row> out;
    while (true) {
      auto row = recent_.step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      out.push_back(read_record(recent_));
    }
    recent_.reset();
    return out;
  }

  core::result<int> bump_repeat_count(std::int64_t original_serial) override {
    bump_.bind(1, original_serial);
    auto row = bump_.step();
    if (!row) return tl::unexpected(row.error());
    int count = *row ? static_cast<int>(bump_.column_int(0)) : 0;
    bump_.reset();
    return count;
  }

  core::result<std::optional<record_row>> find_by_serial(std::int64_t serial) override {
    find_serial_.bind(1, serial);
    auto row = find_serial_.step();
    if (!row) return tl::unexpected(row.error());
    std::optional<record_row> out;
    if (*row) out = read_record(find_serial_);
    find_serial_.reset();
    return out;
  }

  core::result<void> insert_dedup_keys(std::int64_t serial, std::int64_t received_ms,
                                       const std::vector<dedup_key>& keys) override {
    for (const auto& key : keys) {
      // OR IGNORE: two bands of one record may (by a 2^-64 chance) hash alike.
      insert_key_.bind(1, key.scope).bind(2, key.band).bind(3, received_ms).bind(4, serial);
      if (auto r = insert_key_.run(); !r) return r;
    }
    return {};
  }

  core::result<std::vector<std::int64_t>> serials_by_dedup_key(const dedup_key& key,
                                                               std::int64_t since_ms,
                                                               int limit) override {
    by_key_.bind(1, key.scope)
        .bind(2, key.band)
        .bind(3, since_ms)
        .bind(4, static_cast<std::int64_t>(limit));
    std::vector<std::int64_t> out;
    while (true) {
      auto row = by_key_.step();
      if (!row) return tl::unexpected(row.error());  // step() has reset it
      if (!*row) break;
      out.push_back(by_key_.column_int(0));
    }
    by_key_.reset();
    return out;
  }

  core::result<void> insert_dedup_places(std::int64_t serial, std::int64_t received_ms,
                                         const std::vector<std::int64_t>& scopes,
                                         std::string_view sketch) override {
    for (const auto scope : scopes) {
      insert_place_.bind(1, scope).bind(2, received_ms).bind(3, serial).bind_blob(4, sketch);
      if (auto r = insert_place_.run(); !r) return r;
    }
    return {};
  }

  core::result<std::vector<dedup_listing>> listed_in_dedup_place(std::int64_t scope,
                                                                 std::int64_t since_ms,
                                                                 int limit) override {
    in_place_.bind(1, scope).bind(2, since_ms).bind(3, static_cast<std::int64_t>(limit));
    std::vector<dedup_listing> out;
    while (true) {
      auto row = in_place_.step();
      if (!row) return tl::unexpected(row.error());  // step() has reset it
      if (!*row) break;
      out.push_back({in_place_.column_int(0), in_place_.column_text(1)});
    }
    in_place_.reset();
    return out;
  }

  core::result<bool> dedup_scope_keyed(std::int64_t scope) override {
    keyed_.bind(1, scope);
    auto row = keyed_.step();
    if (!row) return tl::unexpected(row.error());
    keyed_.reset();
    return *row;
  }

  core::result<void> mark_dedup_scope_keyed(std::int64_t scope) override {
    mark_keyed_.bind(1, scope);
    return mark_keyed_.run();
  }

 private:
  static constexpr const char* record_columns =
      "serial, tracking, received_ms, channel, idem_key, submitter_ref, match_text, status,"
      " duplicate_of, repeat_count, urgency, referral, original_serial";

  static record_row read_record(const statement& s) {
    record_row r;
    r.serial = s.column_int(0);
    r.tracking = s.column_text(1);
    r.received_ms = s.column_int(2);
    r.channel = s.column_text(3);
    if (!s.column_is_null(4)) r.idem_key = s.column_text(4);
    if (!s.column_is_null(5)) r.submitter_ref = s.column_text(5);
    if (!s.column_is_null(6)) r.match_text = s.column_text(6);
    r.status = static_cast<int>(s.column_int(7));
    if (!s.column_is_null(8)) r.duplicate_of = s.column_text(8);
    r.repeat_count = static_cast<int>(s.column_int(9));
    r.urgency = static_cast<int>(s.column_int(10));
    if (!s.column_is_null(11)) r.referral = s.column_text(11);
    if (!s.column_is_null(12)) r.original_serial = s.column_int(12);
    return r;
  }

  outbox& owner_;
  statement insert_event_;
  statement insert_record_;
  statement find_idem_;
  statement recent_;
  statement bump_;
  statement find_serial_;
  statement insert_key_;
  statement by_key_;
  statement insert_place_;
  statement in_place_;
  statement keyed_;
  statement mark_keyed_;
  std::int64_t serial_ = 1;
  std::int64_t added_events_ = 0;
  std::int64_t added_bytes_ = 0;
  std::int64_t removed_events_ = 0;
  std::int64_t removed_bytes_ = 0;
  std::int64_t revived_events_ = 0;
};

namespace {
// The counts of pending and dead events live in the meta table and move in the same commit as
// the events (schema.hpp): counting them at start-up read the whole events table, seconds with a
// backlog of a million. A file without them (older, or changed by intakectl) is counted once.
std::optional<std::int64_t> read_meta(database& db, const char* key) {
  auto get = db.prepare("SELECT value FROM meta WHERE key = ?1");
  get.bind(1, std::string_view(key));
  auto row = get.step();
  if (!row) throw std::runtime_error("outbox: " + row.error().message);
  if (!*row) return std::nullopt;
  return get.column_int(0);
}
}  // namespace

outbox::outbox(outbox_options options) : options_(std::move(options)) {
  writer_db_ = database::open(options_.path, true, false);
  apply_schema(writer_db_);

  // The serial counter lives in the meta table and moves forward in the same commit as the
  // records that used it.
  {
    auto get = writer_db_.prepare("SELECT value FROM meta WHERE key = 'next_serial'");
    auto row = get.step();
    if (!row) throw std::runtime_error("outbox: " + row.error().message);
    if (*row) {
      next_serial_ = get.column_int(0);
    } else {
      next_serial_ = options_.initial_serial;
      auto put = writer_db_.prepare("INSERT INTO meta(key, value) VALUES('next_serial', ?1)");
      put.bind(1, next_serial_);
      if (auto r = put.run(); !r) throw std::runtime_error("outbox: " + r.error().message);
    }
  }
  {
    const auto pending = read_meta(writer_db_, pending_events_key);
    const auto bytes = read_meta(writer_db_, pending_bytes_key);
    const auto dead = read_meta(writer_db_, dead_events_key);
    if (pending && bytes && dead) {
      depth_ = *pending;
      bytes_ = *bytes;
      dead_count_ = *dead;
    } else {
      auto count = writer_db_.prepare(
          "SELECT COUNT(*), COALESCE(SUM(length(payload)), 0) FROM events WHERE dead = 0");
      auto row = count.step();
      if (!row) throw std::runtime_error("outbox: " + row.error().message);
      depth_ = count.column_int(0);
      bytes_ = count.column_int(1);
      auto dead_rows = writer_db_.prepare("SELECT COUNT(*) FROM events WHERE dead = 1");
      if (auto r = dead_rows.step(); !r) throw std::runtime_error("outbox: " + r.error().message);
      dead_count_ = dead_rows.column_int(0);
      auto put = writer_db_.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)");
      for (const auto& [key, value] : {std::pair{pending_events_key, depth_.load()},
                                       std::pair{pending_bytes_key, bytes_.load()},
                                       std::pair{dead_events_key, dead_count_.load()}}) {
        put.bind(1, std::string_view(key)).bind(2, value);
        if (auto r = put.run(); !r) throw std::runtime_error("outbox: " + r.error().message);
      }
    }
  }

  reader_db_ = database::open(options_.path, false, false);
  apply_reader_pragmas(reader_db_);
  fetch_stmt_ = reader_db_.prepare(
      "SELECT seq, event_id, topic, priority, payload, created_ms FROM events"
      " WHERE dead = 0 AND priority = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
  oldest_stmt_ =
      reader_db_.prepare("SELECT created_ms FROM events WHERE dead = 0 ORDER BY seq LIMIT 1");
  record_stmt_ = reader_db_.prepare(
      "SELECT tracking, received_ms, submitter_ref, idem_key FROM records WHERE serial = ?1");
  event_pending_stmt_ =
      reader_db_.prepare("SELECT 1 FROM events WHERE event_id = ?1 AND dead = 0 LIMIT 1");

  txn_ = std::make_unique<txn_impl>(*this, writer_db_);
  writer_ = std::thread([this] { writer_loop(); });
}

outbox::~outbox() {
  stop();
}

void outbox::stop() {
  {
    std::lock_guard lock(queue_mutex_);
    if (stopping_ && !writer_.joinable()) return;
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void outbox::submit(std::unique_ptr<write_job> job) {
  {
    std::lock_guard lock(queue_mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(job));
      queue_cv_.notify_one();
      return;
    }
  }
  job->finish(core::fail(core::errc::shutting_down, "the collector is shutting down"));
}

void outbox::acknowledge(std::int64_t seq) {
  {
    std::lock_guard lock(acked_mutex_);
    acked_.insert(seq);
  }
  std::lock_guard lock(queue_mutex_);
  ack_queue_.push_back(seq);
  queue_cv_.notify_one();
}

void outbox::dead_letter(std::int64_t seq, std::string reason) {
  {
    std::lock_guard lock(acked_mutex_);
    acked_.insert(seq);  // no longer handed out as pending
  }
  std::lock_guard lock(queue_mutex_);
  dead_queue_.emplace_back(seq, std::move(reason));
  queue_cv_.notify_one();
}

void outbox::set_commit_listener(std::function<void()> listener) {
  std::lock_guard lock(queue_mutex_);
  commit_listener_ = std::move(listener);
}

std::vector<pending_event> outbox::fetch(int priority, std::int64_t after, std::size_t limit) {
  std::vector<pending_event> out;
  std::lock_guard lock(reader_mutex_);
  // Read a little more than asked so that skipped (acknowledged) rows do not starve the page.
  fetch_stmt_.bind(1, static_cast<std::int64_t>(priority))
      .bind(2, after)
      .bind(3, static_cast<std::int64_t>(limit * 2 + 16));
  std::lock_guard acked_lock(acked_mutex_);
  while (out.size() < limit) {
    auto row = fetch_stmt_.step();
    if (!row || !*row) break;
    const auto seq = fetch_stmt_.column_int(0);
    if (acked_.count(seq)) continue;
    pending_event e;
    e.seq = seq;
    e.event_id = fetch_stmt_.column_text(1);
    e.topic = fetch_stmt_.column_text(2);
    e.priority = static_cast<int>(fetch_stmt_.column_int(3));
    e.payload = fetch_stmt_.column_text(4);
    e.created_ms = fetch_stmt_.column_int(5);
    out.push_back(std::move(e));
  }
  fetch_stmt_.reset();
  return out;
}

core::result<std::optional<record_state>> outbox::record_by_serial(std::int64_t serial) const {
  std::lock_guard lock(reader_mutex_);
  auto& rec = const_cast<statement&>(record_stmt_);
  rec.bind(1, serial);
  auto row = rec.step();
  if (!row) {
    rec.reset();
    return tl::unexpected(row.error());
  }
  if (!*row) {
    rec.reset();
    return std::optional<record_state>{};
  }
  record_state state;
  state.tracking = rec.column_text(0);
  state.received_ms = rec.column_int(1);
  if (!rec.column_is_null(2)) state.submitter_ref = rec.column_text(2);
  if (!rec.column_is_null(3)) state.idem_key = rec.column_text(3);
  rec.reset();
  // A record's event is named by the record's own number, which is its tracking number unless
  // it repeats an earlier request; the event leaves the table on PUBACK.
  auto& ev = const_cast<statement&>(event_pending_stmt_);
  ev.bind(1, std::string_view(state.tracking));
  auto pending = ev.step();
  ev.reset();
  if (!pending) return tl::unexpected(pending.error());
  state.event_pending = *pending;
  return state;
}

outbox_stats outbox::stats() const {
  outbox_stats s;
  s.depth = depth_.load();
  s.bytes = static_cast<std::uint64_t>(bytes_.load());
  s.dead_letters = dead_count_.load();
  s.commits = commits_.load();
  s.committed_jobs = committed_jobs_.load();
  s.apply_seconds = static_cast<double>(apply_ns_.load()) / 1e9;
  s.commit_seconds = static_cast<double>(commit_ns_.load()) / 1e9;
  s.writer_cpu_seconds = static_cast<double>(writer_cpu_ns_.load()) / 1e9;
  std::lock_guard lock(reader_mutex_);
  auto& stmt = const_cast<statement&>(oldest_stmt_);
  if (auto row = stmt.step(); row && *row) s.oldest_ms = stmt.column_int(0);
  stmt.reset();
  return s;
}

namespace {
// A maintenance statement run on the writer thread in its turn; reports rows changed.
class counted_statement_job final : public write_job {
 public:
  using bind_fn = std::function<void(statement&)>;
  counted_statement_job(database& db, std::string sql, bind_fn bind,
                        std::promise<core::result<std::int64_t>>& done)
      : db_(db), sql_(std::move(sql)), bind_(std::move(bind)), done_(done) {}
  core::result<void> apply(write_txn&) override {
    auto stmt = db_.prepare(sql_);
    if (bind_) bind_(stmt);
    if (auto r = stmt.run(); !r) return r;
    changed_ = sqlite3_changes(db_.handle());
    return {};
  }
  void finish(core::result<void> outcome) override {
    if (!outcome) {
      done_.set_value(tl::unexpected(outcome.error()));
    } else {
      done_.set_value(changed_);
    }
  }

 private:
  database& db_;
  std::string sql_;
  bind_fn bind_;
  std::promise<core::result<std::int64_t>>& done_;
  std::int64_t changed_ = 0;
};

// Puts dead letters back in the queue and counts them into the batch, so that the pending and
// dead counts (kept in meta) move in the same commit.
class replay_job final : public write_job {
 public:
  using revived_fn = std::function<void(std::int64_t events, std::int64_t bytes)>;
  replay_job(database& db, const std::string& event_id, revived_fn revived,
             std::promise<core::result<std::int64_t>>& done)
      : db_(db), event_id_(event_id), on_revived_(std::move(revived)), done_(done) {}
  core::result<void> apply(write_txn&) override {
    auto stmt = db_.prepare(
        event_id_.empty()
            ? "UPDATE events SET dead = 0, dead_reason = NULL WHERE dead = 1"
              " RETURNING length(payload)"
            : "UPDATE events SET dead = 0, dead_reason = NULL WHERE dead = 1 AND event_id = ?1"
              " RETURNING length(payload)");
    if (!event_id_.empty()) stmt.bind(1, std::string_view(event_id_));
    std::int64_t bytes = 0;
    while (true) {
      auto row = stmt.step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      ++revived_;
      bytes += stmt.column_int(0);
    }
    on_revived_(revived_, bytes);
    return {};
  }
  void finish(core::result<void> outcome) override {
    if (!outcome) {
      done_.set_value(tl::unexpected(outcome.error()));
    } else {
      done_.set_value(revived_);
    }
  }

 private:
  database& db_;
  const std::string& event_id_;
  revived_fn on_revived_;
  std::promise<core::result<std::int64_t>>& done_;
  std::int64_t revived_ = 0;
};

}  // namespace

core::result<std::int64_t> outbox::run_counted(std::string sql,
                                               std::function<void(statement&)> bind) {
  std::promise<core::result<std::int64_t>> promise;
  auto future = promise.get_future();
  submit(std::make_unique<counted_statement_job>(writer_db_, std::move(sql), std::move(bind),
                                                 promise));
  return future.get();
}

core::result<std::int64_t> outbox::replay_dead_letters(const std::string& event_id) {
  std::promise<core::result<std::int64_t>> promise;
  auto future = promise.get_future();
  // Runs on the writer, inside the batch: the revived events count into its commit.
  submit(std::make_unique<replay_job>(
      writer_db_, event_id,
      [this](std::int64_t events, std::int64_t bytes) { txn_->revive_events(events, bytes); },
      promise));
  return future.get();
}

core::result<std::int64_t> outbox::purge_records_before(std::int64_t cutoff_ms) {
  return run_counted("DELETE FROM records WHERE received_ms < ?1",
                     [cutoff_ms](statement& s) { s.bind(1, cutoff_ms); });
}

std::optional<std::string> outbox::failure() const {
  if (!failed_.load()) return std::nullopt;
  std::lock_guard lock(failure_mutex_);
  return failure_;
}

void outbox::note_write_failure(const write_failure& failure) {
  if (failure.kind == write_failure_kind::disk_failed) {
    {
      std::lock_guard lock(failure_mutex_);
      failure_ = failure.detail;
    }
    failed_ = true;
    core::log::error(
        "outbox_disk_failed",
        {{"reason", failure.detail}, {"result", "every submission is refused from now on (503)"}});
    return;
  }
  // One line when intake stops and one when it resumes, not one per refused batch: a full disk
  // may also be where the journal writes.
  if (writable_.exchange(false)) {
    core::log::error(
        "outbox_not_writable",
        {{"kind", failure.kind == write_failure_kind::disk_full ? "disk_full" : "busy"},
         {"reason", failure.detail},
         {"result", "submissions are refused (503) until a commit succeeds"}});
  }
}

void outbox::writer_loop() {
  auto delete_event =
      writer_db_.prepare("DELETE FROM events WHERE seq = ?1 RETURNING length(payload)");
  auto mark_dead = writer_db_.prepare(
      "UPDATE events SET dead = 1, dead_reason = ?2 WHERE seq = ?1 AND dead = 0"
      " RETURNING length(payload)");
  auto save_serial = writer_db_.prepare("UPDATE meta SET value = ?1 WHERE key = 'next_serial'");
  auto save_count = writer_db_.prepare("UPDATE meta SET value = ?2 WHERE key = ?1");
  // Prepared once: parsing these per job was a tenth of the writer's time.
  auto savepoint = writer_db_.prepare("SAVEPOINT job");
  auto release = writer_db_.prepare("RELEASE job");
  auto rollback_to = writer_db_.prepare("ROLLBACK TO job");
  sqlite3* const handle = writer_db_.handle();
  const auto refused = core::make_error(core::errc::storage_unavailable,
                                        "the outbox cannot store the submission now; retry later");
  // While not writable, an empty batch (it still saves the serial) tries the disk this often.
  constexpr auto probe_interval = std::chrono::seconds(1);

  std::vector<std::unique_ptr<write_job>> jobs;
  std::vector<std::int64_t> acks;
  std::vector<std::pair<std::int64_t, std::string>> deads;
  while (true) {
    {
      std::unique_lock lock(queue_mutex_);
      const auto has_work = [&] {
        return stopping_ || !queue_.empty() || !ack_queue_.empty() || !dead_queue_.empty();
      };
      if (writable_ || failed_) {
        queue_cv_.wait(lock, has_work);
      } else {
        queue_cv_.wait_for(lock, probe_interval, has_work);
      }
      if (stopping_ && queue_.empty() && ack_queue_.empty() && dead_queue_.empty()) break;
      while (!queue_.empty() && jobs.size() < static_cast<std::size_t>(options_.commit_batch)) {
        jobs.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      acks.swap(ack_queue_);
      deads.swap(dead_queue_);
    }

    if (failed_) {
      // Nothing more is written. Acknowledgements are dropped: their events are sent again
      // after the restart, with the same ids, which the centre drops as repeats.
      for (auto& job : jobs) job->finish(tl::unexpected(refused));
      jobs.clear();
      acks.clear();
      deads.clear();
      continue;
    }

    // One transaction for the whole batch: one fsync, however many submissions it holds.
    const auto batch_start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point commit_start{};
    std::optional<write_failure> failure;
    bool ok = static_cast<bool>(writer_db_.exec("BEGIN IMMEDIATE"));
    if (!ok) failure = classify_write_failure(handle);
    std::int64_t removed_events = 0, removed_bytes = 0, new_dead = 0;
    std::vector<core::result<void>> outcomes;
    outcomes.reserve(jobs.size());
    if (ok) {
      for (auto seq : acks) {
        delete_event.bind(1, seq);
        if (auto row = delete_event.step(); row && *row) {
          ++removed_events;
          removed_bytes += delete_event.column_int(0);
        }
        delete_event.reset();
      }
      for (auto& [seq, reason] : deads) {
        mark_dead.bind(1, seq).bind(2, std::string_view(reason));
        if (auto row = mark_dead.step(); row && *row) {
          ++removed_events;
          removed_bytes += mark_dead.column_int(0);
          ++new_dead;
        }
        mark_dead.reset();
      }
      txn_->begin_batch(next_serial_, removed_events, removed_bytes);
      for (auto& job : jobs) {
        auto mark = txn_->save();
        auto outcome = savepoint.run();
        if (outcome) outcome = job->apply(*txn_);
        if (outcome) {
          outcome = release.run();
        } else if (sqlite3_get_autocommit(handle)) {
          // SQLite may roll back the whole transaction after an I/O error or a full disk: the
          // batch is gone, and the jobs after this one must not run outside a transaction.
          failure = classify_write_failure(handle);
          ok = false;
          break;
        } else {
          (void)rollback_to.run();
          (void)release.run();
          txn_->restore(mark);
        }
        outcomes.push_back(std::move(outcome));
      }
    }
    if (ok) {
      save_serial.bind(1, txn_->serial());
      ok = static_cast<bool>(save_serial.run());
      const std::pair<const char*, std::int64_t> counts[] = {
          {pending_events_key, depth_.load() + txn_->added_events() - removed_events},
          {pending_bytes_key, bytes_.load() + txn_->added_bytes() - removed_bytes},
          {dead_events_key, dead_count_.load() + new_dead - txn_->revived_events()}};
      for (const auto& [key, value] : counts) {
        if (!ok) break;
        save_count.bind(1, std::string_view(key)).bind(2, value);
        ok = static_cast<bool>(save_count.run());
      }
      if (!ok) failure = classify_write_failure(handle);
    }
    if (ok) {
      commit_start = std::chrono::steady_clock::now();
      ok = static_cast<bool>(writer_db_.exec("COMMIT"));
      if (!ok) failure = classify_write_failure(handle);
    }

    if (ok) {
      next_serial_ = txn_->serial();
      depth_ += txn_->added_events() - removed_events;
      bytes_ += txn_->added_bytes() - removed_bytes;
      dead_count_ += new_dead - txn_->revived_events();
      ++commits_;
      committed_jobs_ += jobs.size();
      const auto done = std::chrono::steady_clock::now();
      timespec cpu{};
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
      writer_cpu_ns_ = static_cast<std::int64_t>(cpu.tv_sec) * 1'000'000'000 + cpu.tv_nsec;
      apply_ns_ +=
          std::chrono::duration_cast<std::chrono::nanoseconds>(commit_start - batch_start).count();
      commit_ns_ +=
          std::chrono::duration_cast<std::chrono::nanoseconds>(done - commit_start).count();
      if (!writable_.exchange(true)) core::log::info("outbox_writable_again");
      if (!acks.empty() || !deads.empty()) {
        std::lock_guard lock(acked_mutex_);
        for (auto seq : acks) acked_.erase(seq);
        // Dead rows are filtered by the query itself from now on.
        for (const auto& dead : deads) acked_.erase(dead.first);
      }
      {
        core::log::batch_scope one_write_per_batch;
        for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i]->finish(std::move(outcomes[i]));
      }
      std::function<void()> listener;
      {
        std::lock_guard lock(queue_mutex_);
        listener = commit_listener_;
      }
      if (listener && txn_->added_events() > 0) listener();
      acks.clear();
      deads.clear();
    } else {
      if (!sqlite3_get_autocommit(handle)) (void)writer_db_.exec("ROLLBACK");
      note_write_failure(failure.value_or(write_failure{}));
      for (auto& job : jobs) job->finish(tl::unexpected(refused));
      // Acknowledgements are not lost: they are tried again with the next batch.
      std::lock_guard lock(queue_mutex_);
      ack_queue_.insert(ack_queue_.end(), acks.begin(), acks.end());
      dead_queue_.insert(dead_queue_.end(), deads.begin(), deads.end());
      acks.clear();
      deads.clear();
      if (stopping_ && queue_.empty()) break;
    }
    jobs.clear();
    if (!ok && !failed_) {
      // Give a full disk a moment instead of spinning on it.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

}  // namespace intake::outbox
