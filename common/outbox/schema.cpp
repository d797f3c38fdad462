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
       " referral TEXT)");
  must(db,
       "CREATE UNIQUE INDEX IF NOT EXISTS records_by_idem ON records(idem_key)"
       " WHERE idem_key IS NOT NULL");
  must(db,
       "CREATE INDEX IF NOT EXISTS records_by_submitter ON records(submitter_ref, received_ms)"
       " WHERE submitter_ref IS NOT NULL");
  must(db, "CREATE INDEX IF NOT EXISTS records_by_received ON records(received_ms)");
}

void apply_reader_pragmas(database& db) {
  if (auto r = db.exec("PRAGMA cache_size=-2000"); !r) {
    throw std::runtime_error("outbox reader: " + r.error().message);
  }
}

}  // namespace intake::outbox
