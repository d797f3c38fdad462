#include "channels/email/quote_trim.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace intake::channels::email {

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::string_view trim(std::string_view s) {
  // ASCII white space and the ideographic space U+3000 that Chinese editors indent with.
  for (;;) {
    if (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
      s.remove_prefix(1);
    } else if (s.substr(0, 3) == "\xE3\x80\x80") {
      s.remove_prefix(3);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
      s.remove_suffix(1);
    } else if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE3\x80\x80") {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  }
  return true;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool contains_ci(std::string_view s, std::string_view needle) {
  if (needle.size() > s.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= s.size(); ++i) {
    if (starts_with_ci(s.substr(i), needle)) return true;
  }
  return false;
}

// Separator lines that mail programs put above a quoted or forwarded message.
bool is_separator(std::string_view line) {
  static constexpr std::array<std::string_view, 10> markers = {"original message",
                                                               "forwarded message",
                                                               "原始邮件",
                                                               "转发邮件",
                                                               "转发的邮件",
                                                               "原始郵件",
                                                               "轉寄郵件",
                                                               "转发",
                                                               "begin forwarded message",
                                                               "邮件原文"};
  const bool dashed =
      line.size() >= 4 && (line.substr(0, 3) == "---" || line.substr(0, 3) == "___" ||
                           line.substr(0, 4) == "<<<<" || line.substr(0, 3) == "===");
  for (const auto m : markers) {
    if (!contains_ci(line, m)) continue;
    if (dashed || starts_with_ci(line, "begin forwarded")) return true;
  }
  return false;
}

// "On Mon, 1 Dec 2026, Zhang San <z@example.cn> wrote:", "在 2026年12月1日，张三 写道："
bool is_attribution(std::string_view line) {
  return (starts_with_ci(line, "on ") &&
          (ends_with(line, "wrote:") || ends_with(line, "writes:"))) ||
         (line.substr(0, 3) == "\xE5\x9C\xA8" /* 在 */ &&
          (ends_with(line, "写道：") || ends_with(line, "写道:") || ends_with(line, "寫道：") ||
           ends_with(line, "寫道:")));
}

bool is_header_line(std::string_view line) {
  static constexpr std::array<std::string_view, 16> names = {
      "from:",      "发件人:", "发件人：", "寄件者:",  "寄件者：", "date:", "sent:",    "发送时间:",
      "发送时间：", "to:",     "收件人:",  "收件人：", "cc:",      "抄送:", "subject:", "主题:"};
  for (const auto n : names) {
    if (starts_with_ci(line, n)) return true;
  }
  return starts_with_ci(line, "主题：") || starts_with_ci(line, "日期:") ||
         starts_with_ci(line, "日期：") || starts_with_ci(line, "抄送：");
}

// An Outlook-style header block starting at `i` (发件人:/From: then more header lines) with no
// separator line above it.
bool is_header_block(const std::vector<std::string_view>& lines, std::size_t i) {
  const auto first = trim(lines[i]);
  if (!starts_with_ci(first, "from:") && !starts_with_ci(first, "发件人") &&
      !starts_with_ci(first, "寄件者"))
    return false;
  int headers = 1;
  for (std::size_t k = i + 1; k < lines.size() && k < i + 6; ++k) {
    if (is_header_line(trim(lines[k]))) ++headers;
  }
  return headers >= 3;
}

bool is_quote(std::string_view line) {
  return !line.empty() && (line.front() == '>' || line.substr(0, 3) == "\xEF\xBC\x9E" /* ＞ */);
}

std::string join(const std::vector<std::string_view>& lines, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (!out.empty()) out += '\n';
    out.append(lines[i]);
  }
  const auto t = trim(out);
  return std::string(t);
}

trimmed_text trim_at_depth(std::string_view body, int depth) {
  const auto lines = split_lines(body);
  std::size_t cut = lines.size();
  bool quoted_lines = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto line = trim(lines[i]);
    if (line == "--" && lines[i] == "-- ") {
      cut = i;  // the signature separator
      break;
    }
    if (is_separator(line) || is_attribution(line) || is_header_block(lines, i)) {
      cut = i;
      break;
    }
  }
  std::vector<std::string_view> kept;
  for (std::size_t i = 0; i < cut; ++i) {
    if (is_quote(trim(lines[i]))) {
      quoted_lines = true;
      continue;
    }
    kept.push_back(lines[i]);
  }
  std::string above = join(kept, 0, kept.size());
  if (!above.empty() || cut == lines.size() || depth >= 3) {
    return {above.empty() && cut == lines.size() ? std::string(trim(body)) : above,
            quoted_lines || cut < lines.size()};
  }
  // Nothing above the marker: the forwarded (or quoted) message is the content. Skip the
  // marker, the header block under it, and the quoting marks.
  std::size_t i = cut + 1;
  while (i < lines.size() && (is_header_line(trim(lines[i])) || trim(lines[i]).empty())) {
    if (trim(lines[i]).empty() && i > cut + 1) {
      ++i;
      break;
    }
    ++i;
  }
  std::string inner;
  for (; i < lines.size(); ++i) {
    auto line = lines[i];
    while (!line.empty() && line.front() == '>') {
      line.remove_prefix(1);
      if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    }
    if (!inner.empty()) inner += '\n';
    inner.append(line);
  }
  auto nested = trim_at_depth(inner, depth + 1);
  nested.trimmed = true;
  return nested;
}

}  // namespace

trimmed_text trim_quoted(std::string_view body) {
  return trim_at_depth(body, 0);
}

}  // namespace intake::channels::email
