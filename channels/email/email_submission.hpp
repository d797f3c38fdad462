#pragma once
// A parsed message → the RawSubmission the pipeline takes. Pure. Mail is never refused for
// being long: text over the configured limits is shortened here rather than rejected later.
#include <optional>
#include <string>
#include <string_view>

#include "channels/email/parsed_email.hpp"
#include "common/core/clock.hpp"
#include "common/model/raw_submission.hpp"
#include "common/pipeline/normalize_submission.hpp"

namespace intake::channels::email {

struct email_intake {
  model::raw_submission raw;  // media not yet filled: the channel stores the attachments
  /// Where a reply goes (Reply-To, else From), normalized; nothing when neither is usable.
  std::optional<std::string> reply_address;
};

/// `raw_digest` identifies the message's bytes (hex SHA-256); it stands in for a missing
/// Message-ID as the idempotency key, so a re-read message is still recognised.
email_intake to_submission(const parsed_email& message, std::string_view raw_digest,
                           const pipeline::field_limits& limits, core::sys_time received_at);

/// The first `max_chars` code points of UTF-8 `text`.
std::string truncate_chars(std::string_view text, std::size_t max_chars);

}  // namespace intake::channels::email
