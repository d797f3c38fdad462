#include "common/outbox/sqlite_db.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace intake::outbox {

core::error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  const std::string detail = std::string(what) + ": " + sqlite3_errstr(rc);
  switch (primary) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CORRUPT:
      return core::make_error(core::errc::storage_unavailable, detail);
    default:
      return core::make_error(core::errc::internal, detail);
  }
}

namespace {
// SQLite's message is the same for every I/O error; the extended code says which step failed.
std::string io_step_name(int rc) {
  switch (rc) {
    case SQLITE_IOERR_READ:
      return "SQLITE_IOERR_READ";
    case SQLITE_IOERR_SHORT_READ:
      return "SQLITE_IOERR_SHORT_READ";
    case SQLITE_IOERR_WRITE:
      return "SQLITE_IOERR_WRITE";
    case SQLITE_IOERR_FSYNC:
      return "SQLITE_IOERR_FSYNC";
    case SQLITE_IOERR_DIR_FSYNC:
      return "SQLITE_IOERR_DIR_FSYNC";
    case SQLITE_IOERR_TRUNCATE:
      return "SQLITE_IOERR_TRUNCATE";
    case SQLITE_IOERR_FSTAT:
      return "SQLITE_IOERR_FSTAT";
    case SQLITE_IOERR_LOCK:
      return "SQLITE_IOERR_LOCK";
    case SQLITE_IOERR_SHMOPEN:
      return "SQLITE_IOERR_SHMOPEN";
    case SQLITE_IOERR_SHMSIZE:
      return "SQLITE_IOERR_SHMSIZE";
    case SQLITE_IOERR_SHMMAP:
      return "SQLITE_IOERR_SHMMAP";
    default:
      return "SQLite code " + std::to_string(rc);
  }
}
}  // namespace

write_failure classify_write_failure(sqlite3* db) {
  const int rc = sqlite3_extended_errcode(db);
  const int primary = rc & 0xff;
  // SQLite records the system error only for these two (it is stale after any other).
  const bool system_error = primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN;
  const int sys = system_error ? sqlite3_system_errno(db) : 0;
  write_failure f;
  f.detail = std::string(sqlite3_errmsg(db)) + " (" + io_step_name(rc);
  if (sys != 0) f.detail += ", errno " + std::to_string(sys) + ": " + std::strerror(sys);
  f.detail += ")";
  if (rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_DIR_FSYNC) {
    // Never retried: the kernel may have dropped the dirty pages and marked them clean, so a
    // later fsync that succeeds would not prove the data is on the disk.
    f.kind = write_failure_kind::disk_failed;
  } else if (primary == SQLITE_FULL || sys == ENOSPC || sys == EDQUOT) {
    // SQLite says SQLITE_FULL for ENOSPC, except where it grows the shared-memory index.
    f.kind = write_failure_kind::disk_full;
  } else if (rc == SQLITE_IOERR_NOMEM) {
    f.kind = write_failure_kind::transient;
  } else if (system_error || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB ||
             primary == SQLITE_READONLY) {
    f.kind = write_failure_kind::disk_failed;
  } else {
    f.kind = write_failure_kind::transient;  // busy, locked, out of memory
  }
  return f;
}

statement& statement::bind(int index, std::int64_t v) {
  sqlite3_bind_int64(stmt_.get(), index, v);
  return *this;
}
statement& statement::bind(int index, double v) {
  sqlite3_bind_double(stmt_.get(), index, v);
  return *this;
}
statement& statement::bind(int index, std::string_view v) {
  sqlite3_bind_text(stmt_.get(), index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
statement& statement::bind_blob(int index, std::string_view v) {
  sqlite3_bind_blob(stmt_.get(), index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
statement& statement::bind_null(int index) {
  sqlite3_bind_null(stmt_.get(), index);
  return *this;
}
statement& statement::bind(int index, const std::optional<std::string>& v) {
  if (v) return bind(index, std::string_view(*v));
  return bind_null(index);
}

core::result<bool> statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  auto err = sqlite_error(db_, rc, sqlite3_sql(stmt_.get()));
  sqlite3_reset(stmt_.get());
  return tl::unexpected(err);
}

core::result<void> statement::run() {
  auto r = step();
  reset();
  if (!r) return tl::unexpected(r.error());
  return {};
}

void statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

std::int64_t statement::column_int(int col) const {
  return sqlite3_column_int64(stmt_.get(), col);
}
double statement::column_double(int col) const {
  return sqlite3_column_double(stmt_.get(), col);
}
std::string statement::column_text(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_.get(), col));
  const int n = sqlite3_column_bytes(stmt_.get(), col);
  return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}
bool statement::column_is_null(int col) const {
  return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL;
}

database database::open(const std::string& path, bool create, bool read_only) {
  sqlite3* raw = nullptr;
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create && !read_only) flags |= SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX;  // each connection is used by one thread
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  database db;
  db.db_.reset(raw);
  if (rc != SQLITE_OK) {
    throw std::runtime_error("cannot open " + path + ": " + sqlite3_errstr(rc));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

core::result<void> database::exec(const std::string& sql) {
  char* msg = nullptr;
  const int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &msg);
  if (msg) sqlite3_free(msg);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(db_.get(), rc, sql));
  return {};
}

statement database::prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    throw std::runtime_error("cannot prepare statement: " + std::string(sqlite3_errmsg(db_.get())) +
                             ": " + sql);
  }
  return statement(db_.get(), stmt);
}

}  // namespace intake::outbox
