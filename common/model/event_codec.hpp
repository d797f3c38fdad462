#pragma once
// The feed's wire format: a CloudEvents 1.0 event in JSON structured mode whose data uses
// Open311 GeoReport v2 names (CONTRACT.md §4, docs/feed.schema.json).
#include <string>
#include <string_view>

#include "common/model/submission.hpp"

namespace intake::model {

inline constexpr std::string_view request_event_type = "cn.gov.12345.intake.request";
inline constexpr std::string_view duplicate_event_type = "cn.gov.12345.intake.duplicate";

struct event_envelope {
  std::string id;               // stable across retries
  std::string source;           // urn:intake-edge:{region}:{collector id}
  std::string tracking_number;  // what the sender was told; the event's subject
};

/// "urn:intake-edge:{region}:{collector id}"
std::string event_source(std::string_view region, std::string_view collector_id);

/// Renders the event. The submitter's `sealed` and clear fields are each written only when
/// present in `s`: with sealing on the pipeline has moved the clear fields into `sealed`.
std::string encode_event(const submission& s, const dedup_result& dedup,
                         const event_envelope& envelope);

}  // namespace intake::model
