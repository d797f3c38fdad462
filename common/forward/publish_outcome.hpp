#pragma once
// What the forwarder does with an event after one publish attempt: it acts on this value alone.
#include <string_view>

namespace intake::forward {

enum class publish_outcome {
  ok,     // PUBACK with success: delete from the outbox
  retry,  // no answer, connection lost, or a refusal that may pass: publish again later
  drop,   // the broker refused this event for good: dead-letter it for `intakectl replay`
};

/// Classifies an MQTT 5 PUBACK reason code (below 0x80 is success).
publish_outcome classify_puback(int reason_code);

std::string_view outcome_name(publish_outcome o);

}  // namespace intake::forward
