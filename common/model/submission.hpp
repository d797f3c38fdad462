#pragma once
// A normalized, triaged submission: what the pipeline stores and forwards.
#include <optional>
#include <string>
#include <vector>

#include "common/core/clock.hpp"
#include "common/model/attachment.hpp"
#include "common/model/raw_submission.hpp"

namespace intake::model {

struct submitter {
  std::optional<std::string> name;
  std::optional<std::string> phone;  // normalized, E.164 (+8613800138000)
  std::optional<std::string> email;  // lower-cased
  std::optional<std::string> openid;
  std::optional<std::string> phone_masked;  // 138****8000
  std::optional<std::string> email_masked;  // a***@example.cn
  /// Keyed hash of the normalized identity: links repeat submitters without naming them.
  std::optional<std::string> ref;
  /// Base64 sealed box of {name, phone, email, openid} to the centre's key, when sealing is on;
  /// the clear fields above are then empty (privacy::submitter_sealer).
  std::optional<std::string> sealed;

  bool empty() const { return !name && !phone && !email && !openid; }
};

enum class urgency { normal, emergency };

struct triage {
  enum urgency urgency = urgency::normal;
  std::optional<std::string> referral;         // "110", "119", "120", "122"
  std::optional<std::string> statutory_route;  // litigation, arbitration, petition, ...
  std::optional<std::string> category_hint;
  std::string rule;  // the rule that decided, for operators; empty when none fired
};

struct submission {
  std::string channel;
  std::string description;           // NFKC, white space folded
  std::string description_original;  // exactly as received
  std::string match_text;            // script-folded, for matching only; never forwarded
  std::optional<std::string> title;
  std::optional<std::string> service_code;
  raw_location location;
  submitter person;
  std::optional<std::string> idempotency_key;
  std::optional<std::string> source_ref;
  std::vector<attachment> media;
  std::vector<undecodable_text> undecodable;
  std::optional<std::string> reserved_tracking_number;
  core::sys_time received_at{};
  struct triage triage;
};

enum class dedup_status { new_request, duplicate };

struct dedup_result {
  dedup_status status = dedup_status::new_request;
  std::optional<std::string> duplicate_of;  // tracking number of the original
  double similarity = 0.0;
  int repeat_count = 0;  // how many repeats of the original so far, this one included
};

/// What the sender is told once the submission is durable.
struct receipt {
  std::string tracking_number;
  dedup_status status = dedup_status::new_request;
  /// True when this answer repeats an earlier one (same idempotency key): nothing new was stored.
  bool replayed = false;
  enum urgency urgency = urgency::normal;
  std::optional<std::string> referral;
};

}  // namespace intake::model
