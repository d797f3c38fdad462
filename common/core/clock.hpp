#pragma once
// Time in one place: wall-clock for timestamps users see, steady clock for deadlines.
#include <chrono>
#include <cstdint>
#include <string>

namespace intake::core {

using sys_time = std::chrono::system_clock::time_point;

inline sys_time system_now() {
  return std::chrono::system_clock::now();
}

/// Milliseconds since the Unix epoch (what the outbox stores).
inline std::int64_t to_unix_ms(sys_time t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline sys_time from_unix_ms(std::int64_t ms) {
  return sys_time(std::chrono::milliseconds(ms));
}

/// RFC 3339 in UTC with millisecond precision, e.g. 2026-11-23T08:15:02.123Z.
std::string format_rfc3339(sys_time t);

}  // namespace intake::core
