#pragma once
// The bodies a browser posts: application/x-www-form-urlencoded and multipart/form-data
// (RFC 7578). Both parsers are bounded (part count, header and field sizes) and return a typed
// error for anything malformed instead of guessing. Pure: no I/O.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.hpp"

namespace intake::channels::web {

struct form_limits {
  /// Fields (urlencoded pairs or multipart parts) in one body.
  std::size_t max_parts = 24;
  /// One text field's value (a file part is bounded by the route's body limit only).
  std::size_t max_field_bytes = 64 * 1024;
  /// The header block of one multipart part.
  std::size_t max_part_header_bytes = 2048;
};

/// One field of a form. `filename` is set for a file part (possibly empty: a file input left
/// empty); `content_type` is what the client claimed, never trusted for the file's type.
struct form_part {
  std::string name;
  std::string value;
  std::optional<std::string> filename;
  std::string content_type;
};

struct form_data {
  std::vector<form_part> parts;

  /// The value of the first text field called `name`.
  std::optional<std::string_view> get(std::string_view name) const;
  /// The file parts called `name` that carry a file (non-empty file name or content).
  std::vector<const form_part*> files(std::string_view name) const;
};

/// Decodes `a=1&b=x+y%20z`. Errors: bad_request (a bad %-escape, too many fields),
/// payload_too_large (a field over the limit).
core::result<form_data> parse_urlencoded(std::string_view body, const form_limits& limits);

/// Decodes a multipart/form-data body whose Content-Type header is `content_type` (it carries
/// the boundary). Errors: bad_request (no or bad boundary, a missing close delimiter, a part
/// without a form-data name, header lines that are not headers, too many parts),
/// payload_too_large (a part's headers or a text field over the limit).
core::result<form_data> parse_multipart(std::string_view content_type, std::string_view body,
                                        const form_limits& limits);

/// Dispatches on the Content-Type's media type; anything but the two form types is
/// unsupported_media_type.
core::result<form_data> parse_form(std::string_view content_type, std::string_view body,
                                   const form_limits& limits);

/// The query string of a request target ("/form?lang=en" → lang=en), decoded as urlencoded;
/// an undecodable query gives an empty form.
form_data parse_query(std::string_view target);

/// The value of parameter `name` in a header value such as `multipart/form-data; boundary=x`
/// or `form-data; name="photo"; filename="a.jpg"` (quoted or token; case-insensitive name).
std::optional<std::string> header_parameter(std::string_view header_value, std::string_view name);

}  // namespace intake::channels::web
