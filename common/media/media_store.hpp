#pragma once
// Attachments (photos, PDFs) kept by content hash under {data_dir}/media/ab/abcdef...: the same
// photo sent twice is stored once, and a name can never point outside the store. Each file is
// written durably before its submission is, so an event never names a file a crash lost. Given
// the centre's public key, the store seals every file before it touches the disk
// (sealed_media.hpp); the name stays the hash of the clear bytes.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/core/clock.hpp"
#include "common/core/result.hpp"
#include "common/model/attachment.hpp"
#include "common/privacy/box_keys.hpp"

namespace intake::media {

struct store_limits {
  std::uint64_t max_bytes = 10 * 1024 * 1024;
  /// Media types accepted (as sniff_media_type names them).
  std::set<std::string, std::less<>> types = {"image/jpeg", "image/png", "image/heic",
                                              "image/webp", "image/gif", "application/pdf"};
};

/// A stored file as it is kept: the bytes on disk, sealed or not, and the media type of the
/// attachment they hold.
struct stored_file {
  std::string bytes;
  std::string media_type;
  bool sealed = false;
};

class media_store {
 public:
  /// `root` is created when absent. Throws std::runtime_error when it cannot be (startup only).
  /// With `seal_to`, files are stored sealed to that key; without it, as they came.
  media_store(std::string root, store_limits limits = {},
              std::optional<privacy::public_key> seal_to = std::nullopt);

  /// Checks the bytes (size, type by content) and stores them, sealed when the store seals.
  /// Errors: payload_too_large, unsupported_media_type, storage_unavailable (disk full, I/O),
  /// internal (the key cannot be sealed to).
  core::result<model::attachment> put(std::string_view bytes,
                                      std::optional<std::string> name = std::nullopt);

  /// Removes attachments stored before `cutoff` (by the time the file was written); returns how
  /// many. The caller chooses a cutoff no event still waiting for the broker is older than.
  core::result<std::size_t> purge_stored_before(core::sys_time cutoff);

  /// The file of a stored attachment; not_found for an unknown or malformed hash.
  core::result<std::string> path_of(std::string_view sha256_hex) const;

  /// The stored file of an attachment as it is on disk. Files stored before a key was
  /// configured stay clear, and sealed ones stay sealed without one: each says what it is.
  /// Errors: not_found, storage_unavailable.
  core::result<stored_file> read(std::string_view sha256_hex) const;

  /// The attachment behind a hash (media type and size of the clear bytes), from the first bytes
  /// of its file: no key is needed. Errors: not_found, storage_unavailable.
  core::result<model::attachment> describe(std::string_view sha256_hex) const;

  bool seals() const { return seal_to_.has_value(); }

  const std::string& root() const { return root_; }
  const store_limits& limits() const { return limits_; }

 private:
  std::string file_for(std::string_view sha256_hex) const;

  std::string root_;
  store_limits limits_;
  std::optional<privacy::public_key> seal_to_;
};

/// True for 64 lower-case hexadecimal digits.
bool is_sha256_hex(std::string_view text);

}  // namespace intake::media
