#include "tests/integration/support/feed_queries.hpp"

#include "tests/integration/support/json_fields.hpp"

namespace intake::testing {

std::set<std::string> distinct_values(const std::vector<feed_message>& messages,
                                      const char* pointer) {
  std::set<std::string> out;
  for (const auto& m : messages) {
    if (auto v = json_string(m.payload, pointer)) out.insert(std::move(*v));
  }
  return out;
}

std::map<std::string, std::set<std::string>> payloads_by_id(
    const std::vector<feed_message>& messages) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& m : messages) {
    out[json_string(m.payload, "/id").value_or("<no id>")].insert(m.payload);
  }
  return out;
}

std::vector<feed_message> on_topic(const std::vector<feed_message>& messages,
                                   const std::string& topic) {
  std::vector<feed_message> out;
  for (const auto& m : messages) {
    if (m.topic == topic) out.push_back(m);
  }
  return out;
}

}  // namespace intake::testing
