#include "common/core/log.hpp"

#include <unistd.h>

#include <atomic>
#include <string>

#include "common/core/clock.hpp"

namespace intake::core::log {

namespace {
std::atomic<int> min_level{static_cast<int>(level::info)};
std::atomic<bool> json_lines{false};

std::string_view level_name(level lvl) {
  switch (lvl) {
    case level::debug:
      return "debug";
    case level::info:
      return "info";
    case level::warn:
      return "warn";
    case level::error:
      return "error";
  }
  return "info";
}

void append_escaped_json(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (c < 0x20) {
          static const char hex[] = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void append_logfmt_value(std::string& out, std::string_view s) {
  bool needs_quotes = s.empty();
  for (unsigned char c : s) {
    if (c <= ' ' || c == '"' || c == '=') needs_quotes = true;
  }
  if (needs_quotes) {
    append_escaped_json(out, s);
  } else {
    out.append(s);
  }
}
}  // namespace

void set_min_level(level lvl) {
  min_level = static_cast<int>(lvl);
}
void set_json(bool json) {
  json_lines = json;
}

void write(level lvl, std::string_view event, std::initializer_list<field> fields) {
  if (static_cast<int>(lvl) < min_level.load(std::memory_order_relaxed)) return;
  std::string line;
  line.reserve(160);
  std::string ts = format_rfc3339(system_now());
  if (json_lines) {
    line += "{\"ts\":";
    append_escaped_json(line, ts);
    line += ",\"level\":";
    append_escaped_json(line, level_name(lvl));
    line += ",\"event\":";
    append_escaped_json(line, event);
    for (const auto& [k, v] : fields) {
      line += ',';
      append_escaped_json(line, k);
      line += ':';
      append_escaped_json(line, v);
    }
    line += "}\n";
  } else {
    line += "ts=" + ts + " level=";
    line += level_name(lvl);
    line += " event=";
    append_logfmt_value(line, event);
    for (const auto& [k, v] : fields) {
      line += ' ';
      line.append(k);
      line += '=';
      append_logfmt_value(line, v);
    }
    line += '\n';
  }
  // One write(2) per line so concurrent threads never interleave within a line.
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace intake::core::log
