#pragma once
// The promise every fault test checks in the end: nothing acknowledged is lost, and a repeat is
// the same event, not a second one.
#include <chrono>
#include <set>
#include <string>

#include "tests/integration/support/feed_subscriber.hpp"

namespace intake::testing {

/// Waits (bounded by `deadline`) until every tracking number in `accepted` is on the feed, then
/// reports each one missing (the first five by name) and every event id that arrived with
/// different payloads as a test failure.
void expect_delivered(const feed_subscriber& feed, const std::set<std::string>& accepted,
                      std::chrono::milliseconds deadline);

}  // namespace intake::testing
