#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/support/feed_subscriber.hpp"

namespace intake::testing {

/// The distinct values of a string field (JSON Pointer, e.g. "/subject") over the messages;
/// messages without it are skipped.
std::set<std::string> distinct_values(const std::vector<feed_message>& messages,
                                      const char* pointer);

/// Every distinct payload received for each event id: at-least-once delivery may repeat an
/// event, but a repeat must be byte-identical, so each set should hold one payload.
std::map<std::string, std::set<std::string>> payloads_by_id(
    const std::vector<feed_message>& messages);

/// The messages whose topic is `topic`.
std::vector<feed_message> on_topic(const std::vector<feed_message>& messages,
                                   const std::string& topic);

}  // namespace intake::testing
