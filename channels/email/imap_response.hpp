#pragma once
// IMAP server responses (RFC 3501 §7) as far as the IDLE watcher needs them. The reader cuts the
// byte stream into whole responses — one line, with any literals ("{n}" CRLF and n bytes) kept
// inline — under fixed limits, so that a broken or hostile server cannot grow our memory;
// parse_response tells a tagged result, an untagged datum and a continuation apart. Pure: the
// connection feeds it bytes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.hpp"

namespace intake::channels::email {

/// Generous for what the watcher reads (greetings, CAPABILITY, EXAMINE's data, EXISTS, FETCH
/// flags); far below anything that could hurt.
struct response_limits {
  std::size_t max_line = 16 * 1024;       // one line, literals not counted
  std::size_t max_literal = 64 * 1024;    // one literal
  std::size_t max_response = 256 * 1024;  // a whole response, literals included
};

class response_reader {
 public:
  explicit response_reader(response_limits limits = {});

  /// Appends bytes as received. Call next() until it yields nothing before feeding more.
  void feed(std::string_view bytes);
  /// The next whole response without its line end (CRLF, or a bare LF from a sloppy server);
  /// nothing while more bytes are needed. errc::payload_too_large past a limit: the stream can no
  /// longer be followed and the connection must be dropped.
  core::result<std::optional<std::string>> next();
  /// Bytes received but not yet returned (after STARTTLS there must be none: bytes the server
  /// sent in clear must not pass for protected ones).
  std::size_t buffered() const { return buffer_.size(); }

 private:
  response_limits limits_;
  std::string buffer_;
  std::size_t line_start_ = 0;         // where the current line (after the last literal) starts
  std::size_t literal_remaining_ = 0;  // literal bytes still to come before the line goes on
};

enum class response_kind { tagged, untagged, continuation };

struct imap_response {
  response_kind kind = response_kind::untagged;
  std::string tag;                      // tagged only
  std::string status;                   // OK, NO, BAD, PREAUTH or BYE (upper case); else empty
  std::optional<std::uint64_t> number;  // "* 23 EXISTS" → 23
  std::string keyword;  // EXISTS, RECENT, EXPUNGE, FETCH, CAPABILITY... (upper case)
  std::string code;     // the response code without brackets: "CAPABILITY IMAP4rev1 IDLE"
  std::string text;     // what follows (the human text, or the datum's arguments)
};

/// Classifies one response as returned by response_reader::next(). errc::bad_request for what
/// is not an IMAP response (an empty line, a tagged line without OK/NO/BAD, a huge number).
core::result<imap_response> parse_response(std::string_view line);

/// The capabilities a response announces: "* CAPABILITY ..." or an "[CAPABILITY ...]" code; upper
/// case; empty when it announces none.
std::vector<std::string> capabilities_in(const imap_response& response);
bool has_capability(const std::vector<std::string>& capabilities, std::string_view name);

}  // namespace intake::channels::email
