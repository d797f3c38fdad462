#pragma once
// Raw RFC 5322 bytes → parsed_email, with GMime (the only file that includes it). Pure: no I/O.
#include <cstddef>
#include <string_view>

#include "channels/email/parsed_email.hpp"
#include "common/core/result.hpp"

namespace intake::channels::email {

struct parse_limits {
  /// Attachments larger than this (decoded) keep their name and size but not their bytes.
  std::size_t max_attachment_bytes = 10 * 1024 * 1024;
  /// Attachments kept per message; the rest are counted as over the cap.
  std::size_t max_attachments = 16;
};

/// Parses leniently (real mail is often broken), but fails with errc::bad_request when the
/// bytes are not a message at all: no header block, a multipart without a boundary or without
/// parts, MIME nested past sanity, or nothing to read (no text, subject or attachment).
core::result<parsed_email> parse_email(std::string_view raw, const parse_limits& limits = {});

}  // namespace intake::channels::email
