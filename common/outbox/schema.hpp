#pragma once
#include "common/outbox/sqlite_db.hpp"

namespace intake::outbox {

/// Creates the tables and indexes when missing and sets the durability pragmas
/// (WAL, synchronous=FULL). Throws std::runtime_error — startup only.
void apply_schema(database& db);

/// Pragmas for a read connection to the same file.
void apply_reader_pragmas(database& db);

/// Keys of the meta table holding the counts of pending events, their bytes and dead letters.
/// The collector's writer moves them in the same commit as the events, so that start-up reads
/// them instead of counting a backlog of millions.
inline constexpr const char* pending_events_key = "pending_events";
inline constexpr const char* pending_bytes_key = "pending_bytes";
inline constexpr const char* dead_events_key = "dead_events";

/// SQL to run in the same transaction as any change to the events table made outside the
/// collector (intakectl on a stopped collector): the counts are dropped, and counted again once
/// when the collector next starts.
inline constexpr const char* forget_event_counts_sql =
    "DELETE FROM meta WHERE key IN ('pending_events', 'pending_bytes', 'dead_events')";

}  // namespace intake::outbox
