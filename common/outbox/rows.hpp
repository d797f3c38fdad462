#pragma once
// Rows of the outbox's tables, as the rest of the collector sees them.
#include <cstdint>
#include <optional>
#include <string>

namespace intake::outbox {

/// An event to publish, written in the same transaction as its record.
struct new_event {
  std::string event_id;
  std::string topic;
  int priority = 0;  // higher is published first (urgent = 1)
  std::string payload;
  std::int64_t created_ms = 0;
};

/// An event not yet acknowledged by the broker.
struct pending_event {
  std::int64_t seq = 0;
  std::string event_id;
  std::string topic;
  int priority = 0;
  std::string payload;
  std::int64_t created_ms = 0;
};

/// One accepted submission, kept for dedup and status after its event is delivered. Holds no
/// personal data: the submitter appears only as its keyed-hash ref.
struct record_row {
  std::int64_t serial = 0;
  std::string tracking;  // what the sender was told (the original's for a duplicate)
  std::int64_t received_ms = 0;
  std::string channel;
  std::optional<std::string> idem_key;
  std::optional<std::string> submitter_ref;
  std::optional<std::string> match_text;
  /// 0 new, 1 a repeat by the same submitter, 2 another person's report of the same place and
  /// problem (dedup::link_kind).
  int status = 0;
  std::optional<std::string> duplicate_of;
  /// For status 1 and 2: the serial of the request named by duplicate_of, whose repeat_count
  /// counts this one.
  std::optional<std::int64_t> original_serial;
  int repeat_count = 0;
  int urgency = 0;  // 0 normal, 1 emergency
  std::optional<std::string> referral;
};

/// What a status query may learn of a record: whose it is (as a ref) and whether its event
/// still waits for the broker.
struct record_state {
  std::string tracking;
  std::int64_t received_ms = 0;
  std::optional<std::string> submitter_ref;
  std::optional<std::string> idem_key;
  bool event_pending = false;
};

/// A near-duplicate band key of a record (dedup/minhash.hpp): the scope (a submitter or a place)
/// and the hash of one band of the text's MinHash signature.
struct dedup_key {
  std::int64_t scope = 0;
  std::int64_t band = 0;
};

/// A record listed under a place scope, with its band sketch (dedup::make_sketch).
struct dedup_listing {
  std::int64_t serial = 0;
  std::string sketch;
};

/// An event the broker refused for good, kept for `intakectl replay`.
struct dead_letter_row {
  std::int64_t seq = 0;
  std::string event_id;
  std::string topic;
  std::string reason;
  std::int64_t created_ms = 0;
};

}  // namespace intake::outbox
