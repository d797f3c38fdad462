#include "tests/integration/support/delivery_checks.hpp"

#include <gtest/gtest.h>

#include "tests/integration/support/feed_queries.hpp"

namespace intake::testing {

void expect_delivered(const feed_subscriber& feed, const std::set<std::string>& accepted,
                      std::chrono::milliseconds deadline) {
  const bool all = feed.wait_until(
      [&](const auto& messages) {
        const auto seen = distinct_values(messages, "/subject");
        for (const auto& t : accepted) {
          if (!seen.count(t)) return false;
        }
        return true;
      },
      deadline);
  const auto messages = feed.messages();
  const auto seen = distinct_values(messages, "/subject");
  std::size_t missing = 0;
  for (const auto& t : accepted) {
    if (!seen.count(t) && ++missing <= 5) ADD_FAILURE() << "accepted but never delivered: " << t;
  }
  EXPECT_TRUE(all) << missing << " of " << accepted.size() << " accepted submissions missing";
  for (const auto& [id, payloads] : payloads_by_id(messages)) {
    EXPECT_EQ(payloads.size(), 1u) << "event " << id << " was repeated with different content";
  }
}

}  // namespace intake::testing
