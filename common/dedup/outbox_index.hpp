#pragma once
// The detector's view of the outbox: records and their band keys, read through the writer's
// batch transaction, so that two copies of one submission in one batch are caught.
#include "common/dedup/detector.hpp"
#include "common/outbox/write_txn.hpp"

namespace intake::dedup {

class outbox_index final : public request_index {
 public:
  explicit outbox_index(outbox::write_txn& txn) : txn_(txn) {}

  core::result<std::vector<std::int64_t>> serials_by_key(const band_key& key, std::int64_t since_ms,
                                                         int limit) override;
  core::result<std::optional<stored_request>> by_serial(std::int64_t serial) override;
  core::result<std::vector<stored_request>> recent_by_submitter(std::string_view ref,
                                                                std::int64_t since_ms,
                                                                int limit) override;
  core::result<std::vector<listing>> recent_in_place(std::int64_t scope, std::int64_t since_ms,
                                                     int limit) override;
  core::result<bool> keyed(std::int64_t scope) override;

 private:
  outbox::write_txn& txn_;
};

/// A stored request from the outbox's record of it.
stored_request to_stored_request(outbox::record_row row);

/// Stores what a decision says to store with a new record (its place listings, band keys,
/// newly crowded scopes and their backfilled keys).
core::result<void> store_decision(outbox::write_txn& txn, std::int64_t serial,
                                  std::int64_t received_ms, const decision& d);

}  // namespace intake::dedup
