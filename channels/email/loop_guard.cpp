#include "channels/email/loop_guard.hpp"
#include "common/core/ascii.hpp"

#include <algorithm>
#include <cctype>

namespace intake::channels::email {

namespace {

constexpr std::string_view own_id_prefix = "intake-reply.";

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return core::ascii_lower(s);
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace

std::string own_message_id(std::string_view token, std::string_view host) {
  return std::string(own_id_prefix) + std::string(token) + "@" + std::string(host);
}

std::optional<std::string_view> automatic_reason(const parsed_email& m, const own_identity& self) {
  // RFC 3834: anything but "no" was sent by a program.
  if (auto v = m.header("Auto-Submitted");
      v && lower_trimmed(*v) != "no" && !lower_trimmed(*v).empty())
    return "auto_submitted";
  if (auto v = m.header("Precedence")) {
    const auto p = lower_trimmed(*v);
    if (p == "bulk" || p == "list" || p == "junk" || p == "auto_reply") return "precedence";
  }
  if (m.header("X-Loop")) return "x_loop";
  // Exchange marks its out-of-office and delivery reports this way.
  if (auto v = m.header("X-Auto-Response-Suppress"); v && !lower_trimmed(*v).empty())
    return "auto_response_suppress";
  if (auto v = m.header("Return-Path")) {
    const auto rp = lower_trimmed(*v);
    if (rp.empty() || rp == "<>") return "null_return_path";
  }
  if (m.from_address) {
    const auto from = lower_trimmed(*m.from_address);
    const auto local = from.substr(0, from.find('@'));
    if (local == "mailer-daemon" || local == "postmaster") return "mailer_daemon";
    if (!self.reply_address.empty() && from == self.reply_address) return "own_message";
  } else if (auto v = m.header("From"); v && contains(lower_trimmed(*v), "mailer-daemon")) {
    return "mailer_daemon";
  }
  if (m.content_type == "multipart/report" || m.content_type == "message/delivery-status")
    return "delivery_report";
  const auto id = lower_trimmed(m.message_id);
  if (!self.message_id_host.empty() && id.rfind(own_id_prefix, 0) == 0 &&
      id.size() > self.message_id_host.size() &&
      id.substr(id.size() - self.message_id_host.size() - 1) ==
          "@" + lower_trimmed(self.message_id_host))
    return "own_message";
  return std::nullopt;
}

}  // namespace intake::channels::email
