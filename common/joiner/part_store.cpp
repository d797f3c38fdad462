#include "common/joiner/part_store.hpp"

#include <functional>
#include <map>
#include <stdexcept>

namespace intake::joiner {

namespace {

void must(outbox::database& db, const std::string& sql, const std::string& path) {
  if (auto r = db.exec(sql); !r) throw std::runtime_error(path + ": " + r.error().message);
}

}  // namespace

part_store::part_store(const std::string& path)
    : db_(outbox::database::open(path, /*create=*/true, /*read_only=*/false)) {
  must(db_, "PRAGMA journal_mode=WAL", path);
  must(db_, "PRAGMA synchronous=FULL", path);
  must(db_,
       "CREATE TABLE IF NOT EXISTS windows("
       " id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, token TEXT NOT NULL,"
       " last_ms INTEGER NOT NULL)",
       path);
  must(db_,
       "CREATE TABLE IF NOT EXISTS parts("
       " seq INTEGER PRIMARY KEY AUTOINCREMENT, window_id INTEGER NOT NULL,"
       " part_id TEXT NOT NULL, body BLOB NOT NULL, received_ms INTEGER NOT NULL)",
       path);
  must(db_, "CREATE INDEX IF NOT EXISTS parts_by_window ON parts(window_id, seq)", path);
  must(db_,
       "CREATE TABLE IF NOT EXISTS part_ids("
       " part_id TEXT PRIMARY KEY, token TEXT NOT NULL, taken_ms INTEGER NOT NULL)",
       path);
  must(db_, "CREATE INDEX IF NOT EXISTS part_ids_by_time ON part_ids(taken_ms)", path);
  insert_window_ = db_.prepare("INSERT INTO windows(key, token, last_ms) VALUES(?1, ?2, ?3)");
  insert_part_ = db_.prepare(
      "INSERT INTO parts(window_id, part_id, body, received_ms) VALUES(?1, ?2, ?3, ?4)");
  insert_part_id_ =
      db_.prepare("INSERT OR IGNORE INTO part_ids(part_id, token, taken_ms) VALUES(?1, ?2, ?3)");
  touch_window_ = db_.prepare("UPDATE windows SET last_ms = ?2 WHERE id = ?1");
  find_part_id_ = db_.prepare("SELECT token FROM part_ids WHERE part_id = ?1");
  delete_parts_ = db_.prepare("DELETE FROM parts WHERE window_id = ?1");
  delete_window_ = db_.prepare("DELETE FROM windows WHERE id = ?1");
  forget_part_ids_ = db_.prepare("DELETE FROM part_ids WHERE taken_ms < ?1");
}

core::result<void> part_store::in_transaction(const std::function<core::result<void>()>& body) {
  if (auto r = db_.exec("BEGIN IMMEDIATE"); !r) return r;
  auto outcome = body();
  if (!outcome) {
    (void)db_.exec("ROLLBACK");
    return outcome;
  }
  if (auto r = db_.exec("COMMIT"); !r) {
    (void)db_.exec("ROLLBACK");
    return r;
  }
  return {};
}

core::result<std::vector<stored_window>> part_store::load_all() {
  std::vector<stored_window> windows;
  std::map<std::int64_t, std::size_t> index;
  auto w = db_.prepare("SELECT id, key, token, last_ms FROM windows ORDER BY id");
  while (true) {
    auto row = w.step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    index[w.column_int(0)] = windows.size();
    windows.push_back(
        stored_window{w.column_int(0), w.column_text(1), w.column_text(2), w.column_int(3), {}});
  }
  auto p = db_.prepare("SELECT window_id, part_id, body, received_ms FROM parts ORDER BY seq");
  while (true) {
    auto row = p.step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    auto it = index.find(p.column_int(0));
    if (it == index.end()) continue;  // a part whose window is gone was already delivered
    windows[it->second].parts.push_back(
        stored_part{p.column_text(1), p.column_text(2), p.column_int(3)});
  }
  return windows;
}

core::result<std::optional<std::string>> part_store::token_of(std::string_view part_id) {
  find_part_id_.bind(1, part_id);
  auto row = find_part_id_.step();
  std::optional<std::string> token;
  if (row && *row) token = find_part_id_.column_text(0);
  find_part_id_.reset();
  if (!row) return tl::unexpected(row.error());
  return token;
}

core::result<void> part_store::insert_part(std::int64_t window_id, std::string_view token,
                                           const stored_part& part) {
  insert_part_.bind(1, window_id)
      .bind(2, std::string_view(part.part_id))
      .bind_blob(3, part.body)
      .bind(4, part.received_ms);
  if (auto r = insert_part_.run(); !r) return r;
  if (!part.part_id.empty()) {
    insert_part_id_.bind(1, std::string_view(part.part_id))
        .bind(2, token)
        .bind(3, part.received_ms);
    if (auto r = insert_part_id_.run(); !r) return r;
  }
  return {};
}

core::result<std::int64_t> part_store::open_window(std::string_view key, std::string_view token,
                                                   const stored_part& first) {
  std::int64_t id = 0;
  auto r = in_transaction([&]() -> core::result<void> {
    insert_window_.bind(1, key).bind(2, token).bind(3, first.received_ms);
    if (auto r = insert_window_.run(); !r) return r;
    id = sqlite3_last_insert_rowid(db_.handle());
    return insert_part(id, token, first);
  });
  if (!r) return tl::unexpected(r.error());
  return id;
}

core::result<void> part_store::append(std::int64_t window_id, std::string_view token,
                                      const stored_part& part) {
  return in_transaction([&]() -> core::result<void> {
    if (auto r = insert_part(window_id, token, part); !r) return r;
    touch_window_.bind(1, window_id).bind(2, part.received_ms);
    return touch_window_.run();
  });
}

core::result<void> part_store::remove_window(std::int64_t window_id) {
  return in_transaction([&]() -> core::result<void> {
    delete_parts_.bind(1, window_id);
    if (auto r = delete_parts_.run(); !r) return r;
    delete_window_.bind(1, window_id);
    return delete_window_.run();
  });
}

core::result<std::int64_t> part_store::forget_part_ids_before(std::int64_t cutoff_ms) {
  forget_part_ids_.bind(1, cutoff_ms);
  if (auto r = forget_part_ids_.run(); !r) return tl::unexpected(r.error());
  return static_cast<std::int64_t>(sqlite3_changes(db_.handle()));
}

}  // namespace intake::joiner
