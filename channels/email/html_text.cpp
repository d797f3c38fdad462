#include "channels/email/html_text.hpp"
#include "common/core/ascii.hpp"
#include "common/core/utf8.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdlib>

namespace intake::channels::email {

namespace {

struct named_entity {
  std::string_view name;
  std::uint32_t cp;
};
constexpr std::array<named_entity, 12> named_entities = {{{"amp", '&'},
                                                          {"lt", '<'},
                                                          {"gt", '>'},
                                                          {"quot", '"'},
                                                          {"apos", '\''},
                                                          {"nbsp", 0x20},
                                                          {"ensp", 0x2002},
                                                          {"emsp", 0x2003},
                                                          {"mdash", 0x2014},
                                                          {"ndash", 0x2013},
                                                          {"hellip", 0x2026},
                                                          {"middot", 0xB7}}};

// Decodes the entity starting at html[i] == '&'; returns the characters consumed (0: none).
std::size_t decode_entity(std::string_view html, std::size_t i, std::string& out) {
  const auto semi = html.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10) return 0;
  const std::string_view body = html.substr(i + 1, semi - i - 1);
  if (body.size() >= 2 && body[0] == '#') {
    const bool hex = body[1] == 'x' || body[1] == 'X';
    const std::string digits(body.substr(hex ? 2 : 1));
    if (digits.empty()) return 0;
    char* end = nullptr;
    const auto cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
    if (*end != '\0') return 0;
    // &#0; and out-of-range references read as U+FFFD, as browsers show them.
    core::append_utf8(out, cp == 0 || cp > 0x10FFFF ? U'\uFFFD' : static_cast<char32_t>(cp));
    return semi - i + 1;
  }
  const std::string name = core::ascii_lower(body);
  for (const auto& e : named_entities) {
    if (name == e.name) {
      core::append_utf8(out, e.cp);
      return semi - i + 1;
    }
  }
  return 0;
}

bool is_block(const std::string& tag) {
  static constexpr std::array<std::string_view, 16> blocks = {
      "br", "p",  "div", "li",    "tr", "h1", "h2",         "h3",
      "h4", "h5", "h6",  "table", "ul", "ol", "blockquote", "hr"};
  return std::find(blocks.begin(), blocks.end(), tag) != blocks.end();
}

}  // namespace

std::string html_to_text(std::string_view html) {
  std::string out;
  out.reserve(html.size() / 2);
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      if (html.substr(i, 4) == "<!--") {
        const auto end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      const auto close = html.find('>', i + 1);
      if (close == std::string_view::npos) break;
      std::string_view inside = html.substr(i + 1, close - i - 1);
      const bool closing = !inside.empty() && inside[0] == '/';
      if (closing) inside.remove_prefix(1);
      std::size_t n = 0;
      while (n < inside.size() && (std::isalnum(static_cast<unsigned char>(inside[n])))) ++n;
      const std::string tag = core::ascii_lower(inside.substr(0, n));
      i = close + 1;
      if (!closing && (tag == "script" || tag == "style" || tag == "head" || tag == "title")) {
        const auto end = core::ascii_lower(html.substr(i)).find("</" + tag);
        i = end == std::string::npos ? html.size() : i + end;
        continue;
      }
      if (is_block(tag) && (out.empty() || out.back() != '\n')) out += '\n';
      continue;
    }
    if (c == '&') {
      if (const auto used = decode_entity(html, i, out)) {
        i += used;
        continue;
      }
    }
    // Source line breaks are layout, not text (a <br> or block makes the real ones).
    if (c == '\r' || c == '\n' || c == '\t' || c == ' ') {
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
      ++i;
      continue;
    }
    out += c;
    ++i;
  }
  // Trim spaces around line breaks and collapse blank lines.
  std::string tidy;
  tidy.reserve(out.size());
  std::size_t start = 0;
  int blank_run = 0;
  while (start <= out.size()) {
    auto end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    std::string_view line(out.data() + start, end - start);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    if (line.empty()) {
      ++blank_run;
    } else {
      if (!tidy.empty()) tidy += blank_run > 0 ? "\n\n" : "\n";
      tidy.append(line);
      blank_run = 0;
    }
    start = end + 1;
  }
  return tidy;
}

}  // namespace intake::channels::email
