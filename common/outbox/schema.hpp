#pragma once
#include "common/outbox/sqlite_db.hpp"

namespace intake::outbox {

/// Creates the tables and indexes when missing and sets the durability pragmas
/// (WAL, synchronous=FULL). Throws std::runtime_error — startup only.
void apply_schema(database& db);

/// Pragmas for a read connection to the same file.
void apply_reader_pragmas(database& db);

}  // namespace intake::outbox
