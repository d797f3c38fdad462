#pragma once
// Mail the channel could not take is kept aside, never dropped and never retried forever: a
// copy in {data_dir}/email/quarantine/ (NAME.eml plus NAME.json with the reason), besides the
// quarantine folder on the IMAP server. `intakectl email quarantine` lists the copies.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/clock.hpp"
#include "common/core/result.hpp"

namespace intake::channels::email {

struct quarantine_entry {
  std::string name;    // file name without extension: "{uidvalidity}-{uid}"
  std::string reason;  // stable code, e.g. "unparseable", "too_large"
  std::string detail;  // what the parser or pipeline said (no personal data)
  std::uint64_t uidvalidity = 0;
  std::uint64_t uid = 0;
  std::uint64_t size = 0;      // bytes; 0 when not fetched (over max_message_bytes)
  std::string quarantined_at;  // RFC 3339
  bool has_copy = false;       // false when the message was too large to fetch
};

/// The quarantine directory of a data_dir.
std::string quarantine_dir(const std::string& data_dir);

/// Keeps `raw` (may be empty when it could not be fetched) and its reason, durably.
core::result<quarantine_entry> quarantine_message(const std::string& dir, std::uint64_t uidvalidity,
                                                  std::uint64_t uid, std::string_view raw,
                                                  std::uint64_t size, std::string reason,
                                                  std::string detail, core::sys_time now);

/// Every entry, oldest first.
std::vector<quarantine_entry> list_quarantine(const std::string& dir);

/// Prints the entries as a table (or JSON lines with `json`): what `intakectl email quarantine`
/// shows. Nothing personal: names, reasons, sizes and times only.
std::string format_quarantine(const std::vector<quarantine_entry>& entries, bool json);

}  // namespace intake::channels::email
