#include "common/dedup/detector.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "common/dedup/minhash.hpp"
#include "common/dedup/place_key.hpp"
#include "common/dedup/similarity.hpp"

namespace intake::dedup {

namespace {

std::vector<band_key> keys_in(std::uint64_t scope, const shingles& s) {
  const auto keys = make_band_keys(scope, make_signature(s));
  return {keys.begin(), keys.end()};
}

// Looks every key of one scope up and ranks the serials found by how many keys they share with
// the query (more shared bands: a higher estimated similarity), then the oldest, so that among
// equals the first report comes first; at most max_candidates. Only serials are read here: the
// caller fetches requests one at a time and stops at the first that passes.
core::result<std::vector<std::int64_t>> ranked_serials(request_index& index,
                                                       const std::vector<band_key>& keys,
                                                       std::int64_t since_ms, const rules& r) {
  std::unordered_map<std::int64_t, int> hits;
  for (const auto& key : keys) {
    auto serials = index.serials_by_key(key, since_ms, r.per_key_limit);
    if (!serials) return tl::unexpected(serials.error());
    for (const auto serial : *serials) ++hits[serial];
  }
  std::vector<std::pair<int, std::int64_t>> order;  // (shared keys, serial)
  order.reserve(hits.size());
  for (const auto& [serial, n] : hits) order.emplace_back(n, serial);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  const auto cap = static_cast<std::size_t>(std::max(r.max_candidates, 0));
  std::vector<std::int64_t> out;
  for (const auto& [n, serial] : order) {
    if (out.size() == cap) break;
    out.push_back(serial);
  }
  return out;
}

struct best_match {
  std::optional<stored_request> request;
  double score = 0.0;

  // The highest score wins; among equals the earliest, so a link names the first report.
  void offer(stored_request candidate, double s) {
    if (!request || s > score || (s == score && candidate.received_ms < request->received_ms)) {
      request = std::move(candidate);
      score = s;
    }
  }
};

// One scope of the new request: its keys, and whether it is crowded.
struct scope_state {
  std::uint64_t scope = 0;
  std::vector<band_key> keys;
  bool was_keyed = false;       // keys kept before this request: look them up
  bool keyed = false;           // keys kept from now on: store this request's
  std::vector<listing> listed;  // places: the latest requests, newest first
};

// A crowded scope without keys yet: key it, and the requests it lists, from now on.
void start_keys(scope_state& s, const std::vector<const stored_request*>& listed, decision& d) {
  s.keyed = true;
  d.newly_keyed.push_back(static_cast<std::int64_t>(s.scope));
  for (const auto* r : listed) {
    const auto grams = make_shingles(r->match_text);
    if (grams.empty()) continue;
    d.backfill.push_back({r->serial, r->received_ms, keys_in(s.scope, grams)});
  }
}

}  // namespace

core::result<decision> detector::decide(const query& q, request_index& index) const {
  decision d;
  const shingles mine = make_shingles(q.match_text);
  // A text with nothing left after folding (only punctuation or emoji) says nothing to compare.
  if (mine.empty()) return d;
  const signature sig = make_signature(mine);
  // Band hashes do not depend on the scope, so one sketch serves every place.
  d.sketch = make_sketch(make_band_keys(0, sig));
  const auto keys_of = [&sig](std::uint64_t scope) {
    const auto keys = make_band_keys(scope, sig);
    return std::vector<band_key>(keys.begin(), keys.end());
  };

  // The person's latest requests; the keys too if they are a prolific sender.
  std::optional<scope_state> person;
  std::vector<stored_request> recent;
  const std::int64_t since = q.received_ms - rules_.window_ms;
  if (q.submitter_ref) {
    person = scope_state{submitter_scope(*q.submitter_ref), {}, false, false, {}};
    person->keys = keys_of(person->scope);
    auto listed = index.recent_by_submitter(*q.submitter_ref, since, rules_.recent_per_submitter);
    if (!listed) return tl::unexpected(listed.error());
    recent = std::move(*listed);
    auto keyed = index.keyed(static_cast<std::int64_t>(person->scope));
    if (!keyed) return tl::unexpected(keyed.error());
    person->was_keyed = person->keyed = *keyed;
    const bool crowded =
        recent.size() >= static_cast<std::size_t>(std::max(rules_.recent_per_submitter, 1));
    if (crowded && !person->keyed) {
      std::vector<const stored_request*> listed_ptrs;
      for (const auto& r : recent) listed_ptrs.push_back(&r);
      start_keys(*person, listed_ptrs, d);
    }
  }

  // Every place's latest requests, read even when rule 2 is not tried, so that a place is
  // keyed as soon as it is crowded and nothing of it is lost from sight.
  const std::int64_t place_since = q.received_ms - rules_.place_window_ms;
  std::vector<scope_state> places;
  std::unordered_map<std::int64_t, stored_request> fetched;
  const auto fetch = [&](std::int64_t serial) -> core::result<const stored_request*> {
    if (const auto it = fetched.find(serial); it != fetched.end()) return &it->second;
    auto r = index.by_serial(serial);
    if (!r) return tl::unexpected(r.error());
    if (!*r) return nullptr;
    return &fetched.emplace(serial, std::move(**r)).first->second;
  };
  for (const auto& place : q.places) {
    scope_state s{place_scope(place), keys_of(place_scope(place)), false, false, {}};
    auto listed = index.recent_in_place(static_cast<std::int64_t>(s.scope), place_since,
                                        rules_.recent_per_place);
    if (!listed) return tl::unexpected(listed.error());
    s.listed = std::move(*listed);
    auto keyed = index.keyed(static_cast<std::int64_t>(s.scope));
    if (!keyed) return tl::unexpected(keyed.error());
    s.was_keyed = s.keyed = *keyed;
    const bool crowded =
        s.listed.size() >= static_cast<std::size_t>(std::max(rules_.recent_per_place, 1));
    if (crowded && !s.keyed) {
      std::vector<const stored_request*> listed_ptrs;
      for (const auto& l : s.listed) {
        auto r = fetch(l.serial);
        if (!r) return tl::unexpected(r.error());
        if (*r) listed_ptrs.push_back(*r);
      }
      start_keys(s, listed_ptrs, d);
    }
    d.places.push_back(static_cast<std::int64_t>(s.scope));
    places.push_back(std::move(s));
  }

  // Rule 1: the same person again.
  bool found_through_person = false;
  if (person) {
    best_match best;
    std::unordered_set<std::int64_t> compared;
    for (auto& c : recent) {
      compared.insert(c.serial);
      if (c.submitter_ref != q.submitter_ref || c.received_ms < since) continue;
      const double s = compare(mine, make_shingles(c.match_text)).score;
      best.offer(std::move(c), s);
    }
    if (best.score < rules_.similarity && person->was_keyed) {
      auto serials = ranked_serials(index, person->keys, since, rules_);
      if (!serials) return tl::unexpected(serials.error());
      for (const auto serial : *serials) {
        if (!compared.insert(serial).second) continue;
        auto c = index.by_serial(serial);
        if (!c) return tl::unexpected(c.error());
        // The ref check also guards against a band key shared by two scopes (a 2^-64 chance).
        if (!*c || (*c)->submitter_ref != q.submitter_ref || (*c)->received_ms < since) continue;
        const double s = compare(mine, make_shingles((*c)->match_text)).score;
        best.offer(std::move(**c), s);
        if (best.score >= rules_.similarity) break;
      }
    }
    if (best.request && best.score >= rules_.similarity) {
      const auto& m = *best.request;
      d.link = link_kind::same_submitter;
      // A repeat of a repeat names what the first repeat named; a same-place record is this
      // person's own request and is named itself.
      d.original_serial =
          m.link == link_kind::same_submitter ? m.original_serial.value_or(m.serial) : m.serial;
      d.original_tracking = m.tracking;
      d.similarity = best.score;
      found_through_person = true;
    }
  }

  // Rule 2: someone else about the same place and problem.
  std::vector<bool> found_through_place(places.size(), false);
  if (d.link == link_kind::none && q.link_places && !places.empty()) {
    // The words naming the place say nothing about the problem, and both texts name it: left
    // in, "1001号门口的路灯坏了" and "1001号门口垃圾没人清理" would look half alike.
    shingles place_words;
    for (const auto& place : q.places) {
      const auto address = make_shingles(address_of(place));
      place_words.hashes.insert(place_words.hashes.end(), address.hashes.begin(),
                                address.hashes.end());
    }
    std::sort(place_words.hashes.begin(), place_words.hashes.end());
    const shingles mine_about = without(mine, place_words);

    // Any report passing will do (the first report of its chain is named below). The listed
    // ones are tried oldest first, so among look-alikes the first report is met first.
    std::unordered_set<std::int64_t> compared;
    std::optional<stored_request> match;
    double score = 0.0;
    const auto try_serial = [&](std::int64_t serial) -> core::result<bool> {
      if (!compared.insert(serial).second) return false;
      auto c = fetch(serial);
      if (!c) return tl::unexpected(c.error());
      if (!*c || (*c)->received_ms < place_since) return false;
      if (q.submitter_ref && (*c)->submitter_ref == q.submitter_ref) return false;  // rule 1's
      score = compare(mine_about, without(make_shingles((*c)->match_text), place_words)).score;
      if (score < rules_.place_similarity) return false;
      match = **c;
      return true;
    };
    // Only those sharing a band are fetched: most requests at a place are about something else.
    std::vector<std::int64_t> listed;
    for (const auto& s : places) {
      for (const auto& l : s.listed) {
        if (shared_bands(l.sketch, d.sketch) > 0) listed.push_back(l.serial);
      }
    }
    std::sort(listed.begin(), listed.end());
    for (const auto serial : listed) {
      auto hit = try_serial(serial);
      if (!hit) return tl::unexpected(hit.error());
      if (*hit) break;
    }
    std::optional<std::size_t> found_by_keys_of;
    for (std::size_t i = 0; i < places.size() && !match; ++i) {
      if (!places[i].was_keyed) continue;
      auto serials = ranked_serials(index, places[i].keys, place_since, rules_);
      if (!serials) return tl::unexpected(serials.error());
      for (const auto serial : *serials) {
        auto hit = try_serial(serial);
        if (!hit) return tl::unexpected(hit.error());
        if (*hit) {
          found_by_keys_of = i;
          break;
        }
      }
    }
    if (match) {
      for (std::size_t i = 0; i < places.size(); ++i) {
        // Where a later look-alike finds the match again: listed there, or through its keys.
        const auto& l = places[i].listed;
        found_through_place[i] =
            found_by_keys_of == i || std::any_of(l.begin(), l.end(), [&](const listing& x) {
              return x.serial == match->serial;
            });
      }
      // Name the first report: follow what the match itself repeats (at most two steps: a
      // person's repeat of their own report, which was linked to the first one).
      stored_request root = std::move(*match);
      for (int hop = 0; hop < 4 && root.link != link_kind::none && root.original_serial; ++hop) {
        auto next = index.by_serial(*root.original_serial);
        if (!next) return tl::unexpected(next.error());
        if (!*next) break;  // purged: name what the record names
        root = std::move(**next);
      }
      d.link = link_kind::same_place;
      if (root.link == link_kind::none) {
        d.original_serial = root.serial;
        d.original_tracking = root.tracking;
      } else {
        d.original_serial = root.original_serial.value_or(root.serial);
        d.original_tracking = root.duplicate_of.value_or(root.tracking);
      }
      d.similarity = score;
    }
  }

  // Keys of the new request in its crowded scopes — except where its match was found: a later
  // look-alike finds the match there (and through it the first report), so a thousand pasted
  // copies of one complaint add no key rows.
  if (person && person->keyed && !found_through_person)
    d.keys.insert(d.keys.end(), person->keys.begin(), person->keys.end());
  for (std::size_t i = 0; i < places.size(); ++i) {
    if (places[i].keyed && !found_through_place[i])
      d.keys.insert(d.keys.end(), places[i].keys.begin(), places[i].keys.end());
  }
  return d;
}

}  // namespace intake::dedup
