#include "common/outbox/schema.hpp"

#include <stdexcept>

namespace intake::outbox {

namespace {
void must(database& db, const char* sql) {
  if (auto r = db.exec(sql); !r) throw std::runtime_error("outbox schema: " + r.error().message);
}
}  // namespace

void apply_schema(database& db) {
  // WAL + synchronous=FULL: a COMMIT returns only after the WAL is fsynced, so a submission
  // acknowledged after its commit survives power loss. One commit carries a whole batch.
  must(db, "PRAGMA journal_mode=WAL");
  must(db, "PRAGMA synchronous=FULL");
  must(db, "PRAGMA foreign_keys=OFF");
  must(db, "PRAGMA wal_autocheckpoint=4000");
  must(db, "PRAGMA cache_size=-8000");  // 8 MB page cache: RSS stays bounded with any backlog
  // Each job runs under a savepoint, whose journal of original pages spills to a temp file past
  // 64 KiB: a job writing its 16-32 dedup keys to random b-tree leaves crossed that and spent
  // half the writer's time in pwrite. A job's journal is released with its savepoint.
  must(db, "PRAGMA temp_store=MEMORY");
  must(db,
       "CREATE TABLE IF NOT EXISTS meta("
       " key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
  must(db,
       "CREATE TABLE IF NOT EXISTS events("
       " seq INTEGER PRIMARY KEY AUTOINCREMENT,"  // never reused: cursors and acks key on it
       " event_id TEXT NOT NULL,"
       " topic TEXT NOT NULL,"
       " priority INTEGER NOT NULL,"
       " payload BLOB NOT NULL,"
       " created_ms INTEGER NOT NULL,"
       " dead INTEGER NOT NULL DEFAULT 0,"
       " dead_reason TEXT)");
  must(db, "CREATE INDEX IF NOT EXISTS events_pending ON events(dead, priority, seq)");
  // Status queries ask whether a request's event still waits; the table can hold millions
  // during an outage, so the question must not scan it.
  must(db, "CREATE INDEX IF NOT EXISTS events_by_id ON events(event_id)");
  must(db,
       "CREATE TABLE IF NOT EXISTS records("
       " serial INTEGER PRIMARY KEY,"
       " tracking TEXT NOT NULL,"
       " received_ms INTEGER NOT NULL,"
       " channel TEXT NOT NULL,"
       " idem_key TEXT,"
       " submitter_ref TEXT,"
       " match_text TEXT,"
       " status INTEGER NOT NULL,"
       " duplicate_of TEXT,"
       " repeat_count INTEGER NOT NULL DEFAULT 0,"
       " urgency INTEGER NOT NULL DEFAULT 0,"
       " referral TEXT,"
       " original_serial INTEGER)");
  must(db,
       "CREATE UNIQUE INDEX IF NOT EXISTS records_by_idem ON records(idem_key)"
       " WHERE idem_key IS NOT NULL");
  must(db,
       "CREATE INDEX IF NOT EXISTS records_by_submitter ON records(submitter_ref, received_ms)"
       " WHERE submitter_ref IS NOT NULL");
  must(db, "CREATE INDEX IF NOT EXISTS records_by_received ON records(received_ms)");
  // Near-duplicate candidates (dedup/detector.hpp). Every record is listed under its place
  // scopes, with a 32-byte band sketch that says which listed records are worth fetching (a
  // submitter's requests are found through records_by_submitter); the primary keys answer "this
  // scope, newest first, within the window" from one b-tree range, and WITHOUT ROWID keeps the
  // row in that b-tree.
  must(db,
       "CREATE TABLE IF NOT EXISTS dedup_places("
       " scope INTEGER NOT NULL,"
       " received_ms INTEGER NOT NULL,"
       " serial INTEGER NOT NULL,"
       " sketch BLOB NOT NULL,"
       " PRIMARY KEY(scope, received_ms, serial)) WITHOUT ROWID");
  must(db, "CREATE INDEX IF NOT EXISTS dedup_places_by_serial ON dedup_places(serial)");
  // MinHash band keys (dedup/minhash.hpp), kept only for crowded scopes (those listed in
  // dedup_keyed_scopes). The scope leads the key, so one scope's rows sit together.
  must(db,
       "CREATE TABLE IF NOT EXISTS dedup_keys("
       " scope INTEGER NOT NULL,"
       " band INTEGER NOT NULL,"
       " received_ms INTEGER NOT NULL,"
       " serial INTEGER NOT NULL,"
       " PRIMARY KEY(scope, band, received_ms, serial)) WITHOUT ROWID");
  must(db, "CREATE INDEX IF NOT EXISTS dedup_keys_by_serial ON dedup_keys(serial)");
  must(db, "CREATE TABLE IF NOT EXISTS dedup_keyed_scopes(scope INTEGER PRIMARY KEY)");
  // A record's rows live exactly as long as the record, whoever deletes it (retention purge).
  must(db,
       "CREATE TRIGGER IF NOT EXISTS records_drop_dedup_rows AFTER DELETE ON records BEGIN"
       " DELETE FROM dedup_keys WHERE serial = old.serial;"
       " DELETE FROM dedup_places WHERE serial = old.serial; END");
}

void apply_reader_pragmas(database& db) {
  if (auto r = db.exec("PRAGMA cache_size=-2000"); !r) {
    throw std::runtime_error("outbox reader: " + r.error().message);
  }
}

}  // namespace intake::outbox
