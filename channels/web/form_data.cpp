#include "channels/web/form_data.hpp"

#include <algorithm>
#include <functional>

namespace intake::channels::web {

namespace {

constexpr std::size_t max_name_bytes = 128;

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return lower_ascii(x) == lower_ascii(y);
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

core::result<std::string> decode_component(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) {
        return core::fail(core::errc::bad_request, "the form body has a cut-off %-escape");
      }
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return core::fail(core::errc::bad_request, "the form body has a bad %-escape");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string media_type_of(std::string_view content_type) {
  std::string media(trim(content_type.substr(0, content_type.find(';'))));
  std::transform(media.begin(), media.end(), media.begin(), lower_ascii);
  return media;
}

bool valid_boundary(std::string_view b) {
  if (b.empty() || b.size() > 70 || b.back() == ' ') return false;
  return std::all_of(b.begin(), b.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

struct part_headers {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;
};

core::result<part_headers> parse_part_headers(std::string_view block) {
  part_headers out;
  bool disposition = false;
  while (!block.empty()) {
    const auto eol = block.find("\r\n");
    const std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view{} : block.substr(eol + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || line.front() == ' ' ||
        line.front() == '\t') {
      return core::fail(core::errc::bad_request, "a multipart part has a malformed header line");
    }
    const auto name = trim(line.substr(0, colon));
    const auto value = trim(line.substr(colon + 1));
    if (iequals(name, "content-disposition")) {
      const auto kind = trim(value.substr(0, value.find(';')));
      if (!iequals(kind, "form-data")) {
        return core::fail(core::errc::bad_request, "a multipart part is not form-data");
      }
      auto field = header_parameter(value, "name");
      if (!field || field->empty() || field->size() > max_name_bytes) {
        return core::fail(core::errc::bad_request, "a multipart part has no usable field name");
      }
      out.name = std::move(*field);
      out.filename = header_parameter(value, "filename");
      disposition = true;
    } else if (iequals(name, "content-type")) {
      out.content_type = std::string(value);
    }
  }
  if (!disposition) {
    return core::fail(core::errc::bad_request, "a multipart part has no Content-Disposition");
  }
  return out;
}

// Where `needle` next occurs in `hay` from `from`, in time linear in the hay (a boundary-like
// run of bytes in a photo must not make the search quadratic).
std::size_t find_from(std::string_view hay, std::string_view needle, std::size_t from) {
  if (from > hay.size()) return std::string_view::npos;
  const auto it = std::search(hay.begin() + static_cast<std::ptrdiff_t>(from), hay.end(),
                              std::boyer_moore_horspool_searcher(needle.begin(), needle.end()));
  return it == hay.end() ? std::string_view::npos : static_cast<std::size_t>(it - hay.begin());
}

}  // namespace

std::optional<std::string_view> form_data::get(std::string_view name) const {
  for (const auto& p : parts) {
    if (p.name == name && !p.filename) return std::string_view(p.value);
  }
  return std::nullopt;
}

std::vector<const form_part*> form_data::files(std::string_view name) const {
  std::vector<const form_part*> out;
  for (const auto& p : parts) {
    if (p.name == name && p.filename && (!p.filename->empty() || !p.value.empty())) {
      out.push_back(&p);
    }
  }
  return out;
}

std::optional<std::string> header_parameter(std::string_view header_value, std::string_view name) {
  std::size_t pos = header_value.find(';');
  while (pos != std::string_view::npos && pos < header_value.size()) {
    ++pos;  // past ';'
    while (pos < header_value.size() && (header_value[pos] == ' ' || header_value[pos] == '\t'))
      ++pos;
    const auto eq = header_value.find('=', pos);
    if (eq == std::string_view::npos) return std::nullopt;
    const auto key = trim(header_value.substr(pos, eq - pos));
    std::size_t i = eq + 1;
    while (i < header_value.size() && header_value[i] == ' ') ++i;
    std::string value;
    if (i < header_value.size() && header_value[i] == '"') {
      ++i;
      bool closed = false;
      for (; i < header_value.size(); ++i) {
        const char c = header_value[i];
        if (c == '\\' && i + 1 < header_value.size()) {
          value += header_value[++i];
        } else if (c == '"') {
          closed = true;
          ++i;
          break;
        } else {
          value += c;
        }
      }
      if (!closed) return std::nullopt;
      pos = header_value.find(';', i);
    } else {
      const auto end = header_value.find(';', i);
      value = std::string(trim(header_value.substr(
          i, end == std::string_view::npos ? std::string_view::npos : end - i)));
      pos = end;
    }
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

core::result<form_data> parse_urlencoded(std::string_view body, const form_limits& limits) {
  form_data out;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    auto amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    const auto pair = body.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    if (out.parts.size() == limits.max_parts) {
      return core::fail(core::errc::bad_request,
                        "the form has more than " + std::to_string(limits.max_parts) + " fields");
    }
    const auto eq = pair.find('=');
    const auto raw_name = pair.substr(0, eq);
    const auto raw_value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (raw_name.size() > max_name_bytes * 3) {
      return core::fail(core::errc::bad_request, "a form field name is too long");
    }
    if (raw_value.size() > limits.max_field_bytes * 3) {
      return core::fail(core::errc::payload_too_large, "a form field is too long");
    }
    auto name = decode_component(raw_name);
    if (!name) return tl::unexpected(name.error());
    auto value = decode_component(raw_value);
    if (!value) return tl::unexpected(value.error());
    if (value->size() > limits.max_field_bytes) {
      return core::fail(core::errc::payload_too_large, "a form field is too long");
    }
    out.parts.push_back({std::move(*name), std::move(*value), std::nullopt, {}});
  }
  return out;
}

core::result<form_data> parse_multipart(std::string_view content_type, std::string_view body,
                                        const form_limits& limits) {
  const auto boundary = header_parameter(content_type, "boundary");
  if (!boundary || !valid_boundary(*boundary)) {
    return core::fail(core::errc::bad_request, "multipart/form-data without a valid boundary");
  }
  const std::string delimiter = "--" + *boundary;
  const std::string next_delimiter = "\r\n" + delimiter;

  // A preamble before the first delimiter is allowed (and ignored).
  std::size_t pos = 0;
  if (body.substr(0, delimiter.size()) != delimiter) {
    pos = find_from(body, next_delimiter, 0);
    if (pos == std::string_view::npos) {
      return core::fail(core::errc::bad_request, "the multipart body has no boundary line");
    }
    pos += 2;
  }
  pos += delimiter.size();

  form_data out;
  for (;;) {
    if (body.substr(pos, 2) == "--") return out;  // close delimiter; an epilogue is ignored
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") {
      return core::fail(core::errc::bad_request, "the multipart body is cut off or malformed");
    }
    pos += 2;
    if (out.parts.size() == limits.max_parts) {
      return core::fail(core::errc::bad_request,
                        "the form has more than " + std::to_string(limits.max_parts) + " parts");
    }

    // The header block ends at the first empty line; look for it only within the limit.
    std::size_t content_start = 0;
    std::string_view header_block;
    if (body.substr(pos, 2) == "\r\n") {
      content_start = pos + 2;
    } else {
      const auto window = body.substr(pos, limits.max_part_header_bytes + 4);
      const auto end = window.find("\r\n\r\n");
      if (end == std::string_view::npos) {
        if (window.size() < limits.max_part_header_bytes + 4) {
          return core::fail(core::errc::bad_request, "the multipart body ends inside a header");
        }
        return core::fail(core::errc::payload_too_large, "a multipart part's headers are too long");
      }
      header_block = window.substr(0, end);
      content_start = pos + end + 4;
    }
    auto headers = parse_part_headers(header_block);
    if (!headers) return tl::unexpected(headers.error());

    const auto content_end = find_from(body, next_delimiter, content_start);
    if (content_end == std::string_view::npos) {
      return core::fail(core::errc::bad_request,
                        "the multipart body ends without its closing boundary");
    }
    const auto content = body.substr(content_start, content_end - content_start);
    if (!headers->filename && content.size() > limits.max_field_bytes) {
      return core::fail(core::errc::payload_too_large, "a form field is too long");
    }
    out.parts.push_back({std::move(headers->name), std::string(content),
                         std::move(headers->filename), std::move(headers->content_type)});
    pos = content_end + next_delimiter.size();
  }
}

core::result<form_data> parse_form(std::string_view content_type, std::string_view body,
                                   const form_limits& limits) {
  const auto media = media_type_of(content_type);
  if (media == "application/x-www-form-urlencoded") return parse_urlencoded(body, limits);
  if (media == "multipart/form-data") return parse_multipart(content_type, body, limits);
  return core::fail(core::errc::unsupported_media_type,
                    "a form must be sent as application/x-www-form-urlencoded or "
                    "multipart/form-data");
}

form_data parse_query(std::string_view target) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {};
  auto query = target.substr(q + 1);
  query = query.substr(0, query.find('#'));
  auto parsed = parse_urlencoded(query, form_limits{});
  return parsed ? std::move(*parsed) : form_data{};
}

}  // namespace intake::channels::web
