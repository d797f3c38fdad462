#include "channels/email/imap_response.hpp"

#include <algorithm>

namespace intake::channels::email {

namespace {

constexpr std::size_t max_literal_digits = 10;

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The literal announced at the end of `line` ("... {123}" or "{123+}"), if any.
std::optional<std::size_t> literal_size(std::string_view line) {
  if (line.empty() || line.back() != '}') return std::nullopt;
  const auto open = line.rfind('{');
  if (open == std::string_view::npos) return std::nullopt;
  auto digits = line.substr(open + 1, line.size() - open - 2);
  if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
  if (digits.empty() || digits.size() > max_literal_digits ||
      !std::all_of(digits.begin(), digits.end(), is_digit))
    return std::nullopt;
  std::size_t n = 0;
  for (const char c : digits) n = n * 10 + static_cast<std::size_t>(c - '0');
  return n;
}

// Splits off the first space-separated word of `rest`.
std::string_view take_word(std::string_view& rest) {
  const auto space = rest.find(' ');
  const auto word = rest.substr(0, space);
  rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
  return word;
}

bool is_status(std::string_view word) {
  return word == "OK" || word == "NO" || word == "BAD" || word == "PREAUTH" || word == "BYE";
}

// Status text may start with a response code: "[CAPABILITY IMAP4rev1 IDLE] Logged in".
void split_code(std::string_view rest, imap_response& r) {
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close != std::string_view::npos) {
      r.code = std::string(rest.substr(1, close - 1));
      rest = rest.substr(close + 1);
      if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
  }
  r.text = std::string(rest);
}

}  // namespace

response_reader::response_reader(response_limits limits) : limits_(limits) {}

void response_reader::feed(std::string_view bytes) {
  buffer_.append(bytes);
}

core::result<std::optional<std::string>> response_reader::next() {
  while (true) {
    if (literal_remaining_ > 0) {
      const std::size_t available = buffer_.size() - line_start_;
      if (available < literal_remaining_) {
        if (buffer_.size() > limits_.max_response)
          return core::fail(core::errc::payload_too_large, "imap response over the limit");
        return std::nullopt;
      }
      line_start_ += literal_remaining_;
      literal_remaining_ = 0;
    }
    const auto lf = buffer_.find('\n', line_start_);
    if (lf == std::string::npos) {
      if (buffer_.size() - line_start_ > limits_.max_line || buffer_.size() > limits_.max_response)
        return core::fail(core::errc::payload_too_large, "imap line over the limit");
      return std::nullopt;
    }
    const std::size_t end = lf > line_start_ && buffer_[lf - 1] == '\r' ? lf - 1 : lf;
    if (end - line_start_ > limits_.max_line)
      return core::fail(core::errc::payload_too_large, "imap line over the limit");
    if (const auto n =
            literal_size(std::string_view(buffer_).substr(line_start_, end - line_start_))) {
      if (*n > limits_.max_literal || lf + 1 + *n > limits_.max_response)
        return core::fail(core::errc::payload_too_large, "imap literal over the limit");
      line_start_ = lf + 1;
      literal_remaining_ = *n;
      continue;
    }
    if (end > limits_.max_response)
      return core::fail(core::errc::payload_too_large, "imap response over the limit");
    std::string response = buffer_.substr(0, end);
    buffer_.erase(0, lf + 1);
    line_start_ = 0;
    return response;
  }
}

core::result<imap_response> parse_response(std::string_view line) {
  imap_response r;
  if (line.empty()) return core::fail(core::errc::bad_request, "imap: empty response");
  if (line.front() == '+') {
    r.kind = response_kind::continuation;
    line.remove_prefix(1);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    r.text = std::string(line);
    return r;
  }
  std::string_view rest = line;
  const auto first = take_word(rest);
  if (first.empty()) return core::fail(core::errc::bad_request, "imap: response without a tag");
  if (first == "*") {
    r.kind = response_kind::untagged;
    auto word = take_word(rest);
    if (word.empty()) return core::fail(core::errc::bad_request, "imap: empty untagged response");
    if (std::all_of(word.begin(), word.end(), is_digit)) {
      if (word.size() > 19) return core::fail(core::errc::bad_request, "imap: number too large");
      std::uint64_t n = 0;
      for (const char c : word) n = n * 10 + static_cast<std::uint64_t>(c - '0');
      r.number = n;
      word = take_word(rest);
      if (word.empty()) return core::fail(core::errc::bad_request, "imap: number without a datum");
      r.keyword = ascii_upper(word);
      r.text = std::string(rest);
      return r;
    }
    const auto upper = ascii_upper(word);
    if (is_status(upper)) {
      r.status = upper;
      split_code(rest, r);
    } else {
      r.keyword = upper;
      r.text = std::string(rest);
    }
    return r;
  }
  r.kind = response_kind::tagged;
  r.tag = std::string(first);
  const auto status = ascii_upper(take_word(rest));
  if (status != "OK" && status != "NO" && status != "BAD")
    return core::fail(core::errc::bad_request, "imap: tagged response without OK, NO or BAD");
  r.status = status;
  split_code(rest, r);
  return r;
}

std::vector<std::string> capabilities_in(const imap_response& response) {
  std::string_view list;
  if (response.keyword == "CAPABILITY") {
    list = response.text;
  } else if (ascii_upper(response.code.substr(0, 11)) == "CAPABILITY ") {
    list = std::string_view(response.code).substr(11);
  } else {
    return {};
  }
  std::vector<std::string> out;
  while (!list.empty()) {
    const auto word = take_word(list);
    if (!word.empty()) out.push_back(ascii_upper(word));
  }
  return out;
}

bool has_capability(const std::vector<std::string>& capabilities, std::string_view name) {
  const auto wanted = ascii_upper(name);
  return std::find(capabilities.begin(), capabilities.end(), wanted) != capabilities.end();
}

}  // namespace intake::channels::email
