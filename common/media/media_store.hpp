#pragma once
// Attachments (photos, PDFs) kept by content hash under {data_dir}/media/ab/abcdef...: the same
// photo sent twice is stored once, and a name can never point outside the store. Each file is
// written durably before its submission is, so an event never names a file a crash lost.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/core/clock.hpp"
#include "common/core/result.hpp"
#include "common/model/attachment.hpp"

namespace intake::media {

struct store_limits {
  std::uint64_t max_bytes = 10 * 1024 * 1024;
  /// Media types accepted (as sniff_media_type names them).
  std::set<std::string, std::less<>> types = {"image/jpeg", "image/png", "image/heic",
                                              "image/webp", "image/gif", "application/pdf"};
};

class media_store {
 public:
  /// `root` is created when absent. Throws std::runtime_error when it cannot be (startup only).
  media_store(std::string root, store_limits limits = {});

  /// Checks the bytes (size, type by content) and stores them. Errors: payload_too_large,
  /// unsupported_media_type, storage (disk full, I/O).
  core::result<model::attachment> put(std::string_view bytes,
                                      std::optional<std::string> name = std::nullopt);

  /// Removes attachments stored before `cutoff` (by the time the file was written); returns how
  /// many. The caller chooses a cutoff no event still waiting for the broker is older than.
  core::result<std::size_t> purge_stored_before(core::sys_time cutoff);

  /// The file of a stored attachment; not_found for an unknown or malformed hash.
  core::result<std::string> path_of(std::string_view sha256_hex) const;

  const std::string& root() const { return root_; }
  const store_limits& limits() const { return limits_; }

 private:
  std::string file_for(std::string_view sha256_hex) const;

  std::string root_;
  store_limits limits_;
};

/// True for 64 lower-case hexadecimal digits.
bool is_sha256_hex(std::string_view text);

}  // namespace intake::media
