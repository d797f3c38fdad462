#include "common/core/log.hpp"

#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <string>

#include "common/core/clock.hpp"
#include "common/core/json_text.hpp"

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

void append_logfmt_value(std::string& out, std::string_view s) {
  bool needs_quotes = s.empty();
  for (unsigned char c : s) {
    if (c <= ' ' || c == '"' || c == '=') needs_quotes = true;
  }
  if (needs_quotes) {
    core::append_json_string(out, s);
  } else {
    out.append(s);
  }
}

thread_local std::string* batch_buffer = nullptr;

void write_all(std::string_view text) {
  while (!text.empty()) {
    const auto n = ::write(STDERR_FILENO, text.data(), text.size());
    if (n <= 0) return;  // nowhere to log: never block or fail the caller over it
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void flush_in_whole_lines(std::string_view text) {
  while (!text.empty()) {
    std::size_t cut = std::min<std::size_t>(text.size(), PIPE_BUF);
    if (cut < text.size()) {
      const auto last_newline = text.substr(0, cut).rfind('\n');
      cut = last_newline == std::string_view::npos ? cut : last_newline + 1;
    }
    write_all(text.substr(0, cut));
    text.remove_prefix(cut);
  }
}
}  // namespace

batch_scope::batch_scope() {
  if (batch_buffer != nullptr) return;  // nested: the outer scope writes
  batch_buffer = new std::string();
  owner_ = true;
}

batch_scope::~batch_scope() {
  if (!owner_ || batch_buffer == nullptr) return;
  std::string* buffer = batch_buffer;
  batch_buffer = nullptr;
  flush_in_whole_lines(*buffer);
  delete buffer;
}

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
    core::append_json_string(line, ts);
    line += ",\"level\":";
    core::append_json_string(line, level_name(lvl));
    line += ",\"event\":";
    core::append_json_string(line, event);
    for (const auto& [k, v] : fields) {
      line += ',';
      core::append_json_string(line, k);
      line += ':';
      core::append_json_string(line, v);
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
  if (batch_buffer != nullptr) {
    batch_buffer->append(line);
    return;
  }
  // One write(2) per line so concurrent threads never interleave within a line.
  write_all(line);
}

}  // namespace intake::core::log
