#pragma once
// Where the poller stands in the mailbox: the UIDVALIDITY it last saw and the highest UID
// below which every message was handled, kept in {data_dir}/email/mailbox.state.json. Losing or
// rolling back the file costs a rescan, never a duplicate (the Message-ID is the idempotency
// key); it is written durably all the same so that a restart does not refetch a big mailbox.
#include <cstdint>
#include <string>

#include "common/core/result.hpp"

namespace intake::channels::email {

struct mailbox_state {
  std::uint64_t uidvalidity = 0;
  std::uint64_t last_uid = 0;  // every UID ≤ this was handled

  bool operator==(const mailbox_state&) const = default;
};

/// The state in `path`; a fresh state when the file is absent or unreadable.
mailbox_state load_mailbox_state(const std::string& path);
core::result<void> save_mailbox_state(const std::string& path, const mailbox_state& state);

}  // namespace intake::channels::email
