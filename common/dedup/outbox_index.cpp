#include "common/dedup/outbox_index.hpp"

namespace intake::dedup {

stored_request to_stored_request(outbox::record_row row) {
  stored_request r;
  r.serial = row.serial;
  r.received_ms = row.received_ms;
  r.tracking = std::move(row.tracking);
  r.submitter_ref = std::move(row.submitter_ref);
  r.match_text = row.match_text.value_or(std::string());
  r.link = row.status == static_cast<int>(link_kind::same_submitter) ? link_kind::same_submitter
           : row.status == static_cast<int>(link_kind::same_place)   ? link_kind::same_place
                                                                     : link_kind::none;
  r.original_serial = row.original_serial;
  r.duplicate_of = std::move(row.duplicate_of);
  return r;
}

namespace {
std::vector<outbox::dedup_key> to_rows(const std::vector<band_key>& keys) {
  std::vector<outbox::dedup_key> out;
  out.reserve(keys.size());
  for (const auto& k : keys) out.push_back({k.scope, k.band});
  return out;
}
}  // namespace

core::result<void> store_decision(outbox::write_txn& txn, std::int64_t serial,
                                  std::int64_t received_ms, const decision& d) {
  if (auto r = txn.insert_dedup_places(serial, received_ms, d.places, d.sketch); !r) return r;
  if (auto r = txn.insert_dedup_keys(serial, received_ms, to_rows(d.keys)); !r) return r;
  for (const auto scope : d.newly_keyed) {
    if (auto r = txn.mark_dedup_scope_keyed(scope); !r) return r;
  }
  for (const auto& earlier : d.backfill) {
    auto r = txn.insert_dedup_keys(earlier.serial, earlier.received_ms, to_rows(earlier.keys));
    if (!r) return r;
  }
  return {};
}

core::result<std::vector<std::int64_t>> outbox_index::serials_by_key(const band_key& key,
                                                                     std::int64_t since_ms,
                                                                     int limit) {
  return txn_.serials_by_dedup_key({key.scope, key.band}, since_ms, limit);
}

core::result<std::optional<stored_request>> outbox_index::by_serial(std::int64_t serial) {
  auto row = txn_.find_by_serial(serial);
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<stored_request>{};
  return std::optional<stored_request>{to_stored_request(std::move(**row))};
}

core::result<std::vector<stored_request>> outbox_index::recent_by_submitter(std::string_view ref,
                                                                            std::int64_t since_ms,
                                                                            int limit) {
  auto rows = txn_.recent_by_submitter(ref, since_ms, limit);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<stored_request> out;
  out.reserve(rows->size());
  for (auto& row : *rows) out.push_back(to_stored_request(std::move(row)));
  return out;
}

core::result<std::vector<listing>> outbox_index::recent_in_place(std::int64_t scope,
                                                                 std::int64_t since_ms, int limit) {
  auto rows = txn_.listed_in_dedup_place(scope, since_ms, limit);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<listing> out;
  out.reserve(rows->size());
  for (auto& row : *rows) out.push_back({row.serial, std::move(row.sketch)});
  return out;
}

core::result<bool> outbox_index::keyed(std::int64_t scope) {
  return txn_.dedup_scope_keyed(scope);
}

}  // namespace intake::dedup
