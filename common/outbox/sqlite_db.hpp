#pragma once
// Owners for SQLite handles. This is the one file that talks to the SQLite C API directly;
// everything else sees result<T> values.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::outbox {

/// A prepared statement, reset after every use.
class statement {
 public:
  statement() = default;
  statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt, &sqlite3_finalize) {}

  statement& bind(int index, std::int64_t v);
  statement& bind(int index, double v);
  statement& bind(int index, std::string_view v);  // bound as TEXT
  statement& bind_blob(int index, std::string_view v);
  statement& bind_null(int index);
  statement& bind(int index, const std::optional<std::string>& v);

  /// Steps once: true when a row is available, false when done; an error on failure.
  core::result<bool> step();
  /// Runs a statement that returns no rows.
  core::result<void> run();
  void reset();

  std::int64_t column_int(int col) const;
  double column_double(int col) const;
  std::string column_text(int col) const;
  bool column_is_null(int col) const;

 private:
  sqlite3* db_ = nullptr;
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt_{nullptr, &sqlite3_finalize};
};

/// An open database connection.
class database {
 public:
  /// Opens (creating when `create`) the file; throws std::runtime_error — startup only.
  static database open(const std::string& path, bool create, bool read_only);

  core::result<void> exec(const std::string& sql);
  /// Prepares a statement; throws std::runtime_error (a bad statement is a programming error
  /// found at startup, where statements are prepared).
  statement prepare(const std::string& sql);
  sqlite3* handle() const { return db_.get(); }

 private:
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db_{nullptr, &sqlite3_close_v2};
};

/// Maps a SQLite result code to a typed error (SQLITE_FULL → storage_unavailable, ...).
core::error sqlite_error(sqlite3* db, int rc, std::string_view what);

/// What a failed write says about the disk under a connection.
enum class write_failure_kind {
  transient,    // busy, locked, out of memory: the next try may succeed
  disk_full,    // ENOSPC or a quota: succeeds again once space returns
  disk_failed,  // an I/O error, a failed fsync, a read-only or corrupt file: do not trust it
};

struct write_failure {
  write_failure_kind kind = write_failure_kind::transient;
  std::string detail;  // SQLite's message and the system error; never personal data
};

/// Classifies the last failure on `db`; call it before anything else runs on the connection.
write_failure classify_write_failure(sqlite3* db);

}  // namespace intake::outbox
