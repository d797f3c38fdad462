#include "common/forward/publish_outcome.hpp"

namespace intake::forward {

publish_outcome classify_puback(int reason_code) {
  if (reason_code < 0x80) return publish_outcome::ok;  // includes 0x10 "no matching subscribers"
  switch (reason_code) {
    case 0x87:  // not authorized: the ACL refuses this topic; resending cannot help
    case 0x90:  // topic name invalid
    case 0x95:  // packet too large
    case 0x97:  // quota exceeded... is temporary: handled below
    case 0x99:  // payload format invalid
      return reason_code == 0x97 ? publish_outcome::retry : publish_outcome::drop;
    default:
      // 0x80 unspecified, 0x83 implementation specific, 0x91 packet id in use: may pass.
      return publish_outcome::retry;
  }
}

std::string_view outcome_name(publish_outcome o) {
  switch (o) {
    case publish_outcome::ok:
      return "ok";
    case publish_outcome::retry:
      return "retry";
    case publish_outcome::drop:
      return "drop";
  }
  return "retry";
}

}  // namespace intake::forward
