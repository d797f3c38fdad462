#pragma once
// A request_index in memory, and a tiny "collector" on top of it that stores each submission as
// ingest_job does, so detector tests read as sequences of submissions.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/dedup/detector.hpp"

namespace intake::dedup::testing {

class memory_index final : public request_index {
 public:
  /// Stores a request and what its decision says to store with it, as store_decision does.
  void add(stored_request r, const decision& d) {
    for (const auto scope : d.places) places_[scope].push_back({r.serial, d.sketch});
    add_keys(r.serial, d.keys);
    for (const auto scope : d.newly_keyed) keyed_.insert(scope);
    for (const auto& earlier : d.backfill) add_keys(earlier.serial, earlier.keys);
    requests_[r.serial] = std::move(r);
  }

  core::result<std::vector<std::int64_t>> serials_by_key(const band_key& key, std::int64_t since_ms,
                                                         int limit) override {
    ++lookups_;
    std::vector<const stored_request*> found;
    if (const auto it = rows_.find({key.scope, key.band}); it != rows_.end()) {
      for (const auto serial : it->second) {
        const auto& r = requests_.at(serial);
        if (r.received_ms >= since_ms) found.push_back(&r);
      }
    }
    std::sort(found.begin(), found.end(),
              [](auto* a, auto* b) { return a->received_ms > b->received_ms; });
    std::vector<std::int64_t> out;
    for (const auto* r : found) {
      if (static_cast<int>(out.size()) >= limit) break;
      out.push_back(r->serial);
    }
    return out;
  }

  core::result<std::optional<stored_request>> by_serial(std::int64_t serial) override {
    const auto it = requests_.find(serial);
    if (it == requests_.end()) return std::optional<stored_request>{};
    return std::optional<stored_request>{it->second};
  }

  core::result<std::vector<stored_request>> recent_by_submitter(std::string_view ref,
                                                                std::int64_t since_ms,
                                                                int limit) override {
    std::vector<stored_request> out;
    for (auto it = requests_.rbegin(); it != requests_.rend(); ++it) {
      const auto& r = it->second;
      if (r.submitter_ref && *r.submitter_ref == ref && r.received_ms >= since_ms) out.push_back(r);
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.received_ms > b.received_ms; });
    if (static_cast<int>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
    return out;
  }

  core::result<std::vector<listing>> recent_in_place(std::int64_t scope, std::int64_t since_ms,
                                                     int limit) override {
    std::vector<const listing*> found;
    if (const auto it = places_.find(scope); it != places_.end()) {
      for (const auto& l : it->second) {
        if (requests_.at(l.serial).received_ms >= since_ms) found.push_back(&l);
      }
    }
    std::sort(found.begin(), found.end(), [this](auto* a, auto* b) {
      return requests_.at(a->serial).received_ms > requests_.at(b->serial).received_ms;
    });
    std::vector<listing> out;
    for (const auto* l : found) {
      if (static_cast<int>(out.size()) >= limit) break;
      out.push_back(*l);
    }
    return out;
  }

  core::result<bool> keyed(std::int64_t scope) override { return keyed_.count(scope) > 0; }

  std::size_t lookups() const { return lookups_; }
  std::size_t key_rows() const {
    std::size_t n = 0;
    for (const auto& [key, serials] : rows_) n += serials.size();
    return n;
  }

 private:
  void add_keys(std::int64_t serial, const std::vector<band_key>& keys) {
    for (const auto& key : keys) rows_[{key.scope, key.band}].push_back(serial);
  }

  std::map<std::int64_t, stored_request> requests_;
  std::map<std::int64_t, std::vector<listing>> places_;
  std::set<std::int64_t> keyed_;
  std::map<std::pair<std::int64_t, std::int64_t>, std::vector<std::int64_t>> rows_;
  std::size_t lookups_ = 0;
};

/// What a submission was told, and how it was linked.
struct outcome {
  std::string tracking;  // told to the sender
  decision d;
};

/// Submits texts through a detector and stores them as the collector does.
class desk {
 public:
  explicit desk(rules r = {}) : detector_(r) {}

  outcome submit(std::string match_text, std::optional<std::string> ref,
                 std::vector<std::string> places, std::int64_t received_ms,
                 bool emergency = false) {
    query q;
    q.match_text = match_text;
    q.submitter_ref = ref;
    q.places = std::move(places);
    q.received_ms = received_ms;
    q.link_places = !emergency;
    auto d = detector_.decide(q, index_);
    const std::int64_t serial = next_serial_++;
    const std::string own = "T" + std::to_string(serial);
    stored_request r;
    r.serial = serial;
    r.received_ms = received_ms;
    r.tracking = d->link == link_kind::same_submitter ? d->original_tracking : own;
    r.submitter_ref = std::move(ref);
    r.match_text = std::move(match_text);
    r.link = d->link;
    if (d->link != link_kind::none) {
      r.original_serial = d->original_serial;
      r.duplicate_of = d->original_tracking;
      ++repeat_counts_[d->original_serial];
    }
    index_.add(r, *d);
    return {r.tracking, *d};
  }

  int repeat_count(const std::string& tracking) const {
    const auto it = repeat_counts_.find(std::stoll(tracking.substr(1)));
    return it == repeat_counts_.end() ? 0 : it->second;
  }
  memory_index& index() { return index_; }

 private:
  detector detector_;
  memory_index index_;
  std::int64_t next_serial_ = 1;
  std::map<std::int64_t, int> repeat_counts_;
};

}  // namespace intake::dedup::testing
