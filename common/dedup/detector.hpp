#pragma once
// The dedup decision for one new submission, taken on the outbox writer inside the transaction
// that stores it. Two rules, the first that holds wins:
//   1. same submitter: the same submitter.ref sent a text scoring ≥ `similarity` within
//      `window` → a duplicate of that person's earlier request (the citizen gets its number);
//   2. same place: someone else sent a text scoring ≥ `place_similarity` about the same asset,
//      address id or address within `place_window` → linked to the first report of that place
//      and problem (the citizen keeps a number of their own). The texts are compared without
//      the bigrams of the address itself, which both share and which say nothing about the
//      problem.
//
// Candidates come only from index lookups, per scope (one submitter, one place):
//   - the scope's latest requests in the window (up to `recent_per_submitter` /
//     `recent_per_place`), all compared. One person or one place rarely has more, so this is
//     usually everything, read from one index range;
//   - once a scope holds more than that — it is "crowded" — MinHash band keys (minhash.hpp) are
//     kept for it: the requests listed then are keyed at once, and every later one as it comes,
//     so every request of the scope in the window is either listed or keyed, and the older ones
//     are found through the keys. Uncrowded scopes, nearly all of them, cost no key rows at all.
// similarity.hpp's exact check decides among the candidates.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.hpp"
#include "common/dedup/minhash.hpp"

namespace intake::dedup {

/// How a stored request relates to an earlier one. Stored in the outbox as records.status.
enum class link_kind {
  none = 0,            // new
  same_submitter = 1,  // a repeat by the same person: told the original's number
  same_place = 2,      // another person's report of the same place and problem
};

/// A stored request, as far as dedup needs it.
struct stored_request {
  std::int64_t serial = 0;
  std::int64_t received_ms = 0;
  std::string tracking;  // what its sender was told
  std::optional<std::string> submitter_ref;
  std::string match_text;
  link_kind link = link_kind::none;
  std::optional<std::int64_t> original_serial;  // for a repeat: the request it names
  std::optional<std::string> duplicate_of;      // that request's tracking number
};

/// A request listed under a place: its serial and band sketch (make_sketch).
struct listing {
  std::int64_t serial = 0;
  std::string sketch;
};

/// Where the detector looks: the outbox (through the write transaction) or, for evaluation and
/// tests, a stand-in in memory.
class request_index {
 public:
  virtual ~request_index() = default;
  /// Serials stored under a band key and received at or after `since_ms`, newest first.
  virtual core::result<std::vector<std::int64_t>> serials_by_key(const band_key& key,
                                                                 std::int64_t since_ms,
                                                                 int limit) = 0;
  virtual core::result<std::optional<stored_request>> by_serial(std::int64_t serial) = 0;
  /// The submitter's latest requests received at or after `since_ms`, newest first.
  virtual core::result<std::vector<stored_request>> recent_by_submitter(std::string_view ref,
                                                                        std::int64_t since_ms,
                                                                        int limit) = 0;
  /// The latest requests listed under a place scope, received at or after `since_ms`, newest
  /// first.
  virtual core::result<std::vector<listing>> recent_in_place(std::int64_t scope,
                                                             std::int64_t since_ms, int limit) = 0;
  /// Whether band keys are kept for a scope (it has been crowded).
  virtual core::result<bool> keyed(std::int64_t scope) = 0;
};

/// The knobs, with the configuration's defaults (dedup.*).
struct rules {
  std::int64_t window_ms = 72LL * 3600 * 1000;
  double similarity = 0.8;
  std::int64_t place_window_ms = 72LL * 3600 * 1000;
  double place_similarity = 0.6;
  /// A scope's latest requests, always compared (they also catch short texts whose containment
  /// score passes while their Jaccard is too low for LSH); a scope with this many in the window
  /// is crowded, and band keys are kept for it.
  int recent_per_submitter = 32;
  int recent_per_place = 32;
  /// Newest rows read per band key: bounds a lookup in a scope flooded with look-alikes.
  int per_key_limit = 16;
  /// Most candidates given the exact check, those sharing most band keys first.
  int max_candidates = 16;
};

/// One new submission.
struct query {
  std::string_view match_text;  // script-folded description
  std::optional<std::string> submitter_ref;
  std::vector<std::string> places;  // place_keys() of its location
  std::int64_t received_ms = 0;
  /// False for an emergency: it must reach the urgent topic, never be folded into someone
  /// else's report. It is still listed under its places, so later reports link to it.
  bool link_places = true;
};

/// Band keys of an earlier request, stored when its scope becomes crowded.
struct keys_of_request {
  std::int64_t serial = 0;
  std::int64_t received_ms = 0;
  std::vector<band_key> keys;
};

/// The outcome for one new submission.
struct decision {
  link_kind link = link_kind::none;
  std::int64_t original_serial = 0;  // whose repeat_count goes up
  std::string original_tracking;     // named as duplicate_of
  double similarity = 0.0;
  // What to store with the new request (all empty for a text with nothing left after folding):
  /// The place scopes to list it under, with its sketch.
  std::vector<std::int64_t> places;
  std::string sketch;
  /// Its band keys in the crowded scopes among its own. A repeat is not keyed in the scopes
  /// where what it repeats was found (a later look-alike finds that instead), so a flood of
  /// copies adds no key rows.
  std::vector<band_key> keys;
  /// Scopes crowded from now on, and the keys of their listed requests.
  std::vector<std::int64_t> newly_keyed;
  std::vector<keys_of_request> backfill;
};

class detector {
 public:
  explicit detector(rules r) : rules_(r) {}

  /// Decides on `q` against what `index` holds. Errors are the index's (storage) errors.
  core::result<decision> decide(const query& q, request_index& index) const;

  const rules& options() const { return rules_; }

 private:
  rules rules_;
};

}  // namespace intake::dedup
