#include "channels/miniprogram/multipart.hpp"
#include "common/core/ascii.hpp"

#include <algorithm>
#include <cctype>

namespace intake::channels::miniprogram {

namespace {

// A parameter of a header value (boundary=..., name="..."), quoted or not.
std::optional<std::string> parameter(std::string_view header, std::string_view name) {
  const std::string lowered = core::ascii_lower(header);
  std::size_t at = 0;
  const std::string key = std::string(name) + "=";
  while ((at = lowered.find(key, at)) != std::string::npos) {
    // Must start a parameter, not end another one ("filename=" contains "name=").
    if (at > 0 && lowered[at - 1] != ';' && lowered[at - 1] != ' ') {
      at += key.size();
      continue;
    }
    std::size_t v = at + key.size();
    if (v < header.size() && header[v] == '"') {
      const auto end = header.find('"', v + 1);
      if (end == std::string_view::npos) return std::nullopt;
      return std::string(header.substr(v + 1, end - v - 1));
    }
    auto end = header.find(';', v);
    std::string value(header.substr(v, end == std::string_view::npos ? end : end - v));
    while (!value.empty() && value.back() == ' ') value.pop_back();
    return value;
  }
  return std::nullopt;
}

tl::unexpected<core::error> malformed(const char* why) {
  return core::fail(core::errc::bad_request, std::string("malformed multipart body: ") + why);
}

}  // namespace

core::result<uploaded_file> first_file(std::string_view content_type, std::string_view body) {
  if (core::ascii_lower(content_type).rfind("multipart/form-data", 0) != 0) {
    return core::fail(core::errc::unsupported_media_type,
                      "Content-Type must be multipart/form-data");
  }
  const auto boundary = parameter(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70) return malformed("no boundary");
  const std::string delimiter = "--" + *boundary;
  auto pos = body.find(delimiter);
  if (pos == std::string_view::npos) return malformed("no first boundary");
  std::optional<uploaded_file> named_file;
  for (;;) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") break;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return malformed("boundary not followed by CRLF");
    pos += 2;
    const auto headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return malformed("part headers not terminated");
    const auto headers = body.substr(pos, headers_end - pos);
    const auto content = headers_end + 4;
    const auto next = body.find("\r\n" + delimiter, content);
    if (next == std::string_view::npos) return malformed("part not terminated");
    uploaded_file part;
    part.bytes = body.substr(content, next - content);
    // Content-Disposition: form-data; name="file"; filename="a.jpg"
    std::size_t line_start = 0;
    while (line_start <= headers.size()) {
      auto line_end = headers.find("\r\n", line_start);
      const auto line = headers.substr(
          line_start, line_end == std::string_view::npos ? line_end : line_end - line_start);
      if (core::ascii_lower(line).rfind("content-disposition:", 0) == 0) {
        part.field = parameter(line, "name").value_or("");
        part.filename = parameter(line, "filename");
      }
      if (line_end == std::string_view::npos) break;
      line_start = line_end + 2;
    }
    if (part.filename) return part;
    if (part.field == "file" && !named_file) named_file = part;
    pos = next + 2;
  }
  if (named_file) return *named_file;
  return core::fail(core::errc::missing_field, "the upload has no file part");
}

}  // namespace intake::channels::miniprogram
