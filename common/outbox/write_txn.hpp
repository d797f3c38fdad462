#pragma once
// The view a write job has of the outbox while its batch transaction is open. Reads see rows
// written earlier in the same batch, so two copies of one submission in one batch are caught.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/core/result.hpp"
#include "common/outbox/rows.hpp"

namespace intake::outbox {

class write_txn {
 public:
  virtual ~write_txn() = default;
  /// A new serial, unique for the life of the outbox file.
  virtual core::result<std::int64_t> next_serial() = 0;
  /// Queues an event; outbox_full when the count or size cap would be passed.
  virtual core::result<void> insert_event(const new_event& event) = 0;
  virtual core::result<void> insert_record(const record_row& record) = 0;
  virtual core::result<std::optional<record_row>> find_by_idempotency(std::string_view key) = 0;
  /// The submitter's latest records received at or after `since_ms`, newest first.
  virtual core::result<std::vector<record_row>> recent_by_submitter(std::string_view ref,
                                                                    std::int64_t since_ms,
                                                                    int limit) = 0;
  /// Adds one to the original's repeat count and returns the new count.
  virtual core::result<int> bump_repeat_count(std::int64_t original_serial) = 0;
  virtual core::result<std::optional<record_row>> find_by_serial(std::int64_t serial) = 0;
  /// Stores a record's dedup band keys (dedup::detector's decision.keys); they go when the
  /// record is purged.
  virtual core::result<void> insert_dedup_keys(std::int64_t serial, std::int64_t received_ms,
                                               const std::vector<dedup_key>& keys) = 0;
  /// Serials of records stored under a band key, received at or after `since_ms`, newest first.
  virtual core::result<std::vector<std::int64_t>> serials_by_dedup_key(const dedup_key& key,
                                                                       std::int64_t since_ms,
                                                                       int limit) = 0;
  /// Lists a record under place scopes (dedup::place_scope) with its band sketch; the rows go
  /// with the record.
  virtual core::result<void> insert_dedup_places(std::int64_t serial, std::int64_t received_ms,
                                                 const std::vector<std::int64_t>& scopes,
                                                 std::string_view sketch) = 0;
  /// Records listed under a place scope, received at or after `since_ms`, newest first.
  virtual core::result<std::vector<dedup_listing>> listed_in_dedup_place(std::int64_t scope,
                                                                         std::int64_t since_ms,
                                                                         int limit) = 0;
  /// Whether band keys are kept for a scope, and marking that they are from now on.
  virtual core::result<bool> dedup_scope_keyed(std::int64_t scope) = 0;
  virtual core::result<void> mark_dedup_scope_keyed(std::int64_t scope) = 0;
};

/// A unit of work made durable by the writer: applied inside a batch transaction under its own
/// savepoint, then finished once with the outcome of the commit.
class write_job {
 public:
  virtual ~write_job() = default;
  /// Runs on the writer thread. An error rolls back this job's writes alone.
  virtual core::result<void> apply(write_txn& txn) = 0;
  /// Called exactly once: ok after the commit that holds the job, or the error that kept it out.
  virtual void finish(core::result<void> outcome) = 0;
};

}  // namespace intake::outbox
