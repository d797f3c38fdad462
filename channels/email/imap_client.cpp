#include "channels/email/imap_client.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace intake::channels::email {

namespace {

constexpr std::size_t response_limit = 4 * 1024 * 1024;

std::string url_escape(const std::string& text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      static constexpr char hex[] = "0123456789ABCDEF";
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::uint64_t number_after(const std::string& text, const std::string& key) {
  const auto pos = text.find(key);
  if (pos == std::string::npos) return 0;
  std::uint64_t value = 0;
  for (std::size_t i = pos + key.size();
       i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i)
    value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
  return value;
}

}  // namespace

std::string mailbox_url(const std::string& server, const std::string& mailbox) {
  std::string base = server;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return mailbox.empty() ? base + "/" : base + "/" + url_escape(mailbox);
}

std::string imap_quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

imap_client::imap_client(server_endpoint endpoint, std::size_t max_message_bytes)
    : endpoint_(std::move(endpoint)), max_message_bytes_(max_message_bytes) {}

core::result<std::string> imap_client::command(const std::string& mailbox, const std::string& cmd) {
  curl_.reset(endpoint_);
  capped_buffer out{{}, response_limit};
  CURL* c = curl_.get();
  const std::string url = mailbox_url(endpoint_.url, mailbox);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, cmd.c_str());
  write_into(c, out);
  // The command's verb only: arguments may name mailboxes but never people.
  const std::string verb = cmd.substr(0, cmd.find(' ', cmd.rfind("UID ", 0) == 0 ? 4 : 0));
  if (auto r = curl_.perform("imap " + verb); !r) return tl::unexpected(r.error());
  return std::move(out.data);
}

core::result<mailbox_status> imap_client::status(const std::string& mailbox) {
  // The connection keeps the last mailbox it used selected, and a server answers STATUS on the
  // selected mailbox from its view as of the last sync (Dovecot does): without this NOOP, which
  // syncs it, mail that came since looks absent until the poll after.
  if (auto synced = command("", "NOOP"); !synced) return tl::unexpected(synced.error());
  auto text = command("", "STATUS " + imap_quoted(mailbox) + " (UIDVALIDITY UIDNEXT MESSAGES)");
  if (!text) return tl::unexpected(text.error());
  mailbox_status s;
  s.uidvalidity = number_after(*text, "UIDVALIDITY ");
  s.uidnext = number_after(*text, "UIDNEXT ");
  s.messages = number_after(*text, "MESSAGES ");
  if (s.uidvalidity == 0) return core::fail(core::errc::internal, "imap STATUS: no UIDVALIDITY");
  return s;
}

core::result<std::vector<std::uint64_t>> imap_client::uids_from(const std::string& mailbox,
                                                                std::uint64_t from_uid) {
  auto text = command(
      mailbox, "UID SEARCH UID " + std::to_string(std::max<std::uint64_t>(from_uid, 1)) + ":*");
  if (!text) return tl::unexpected(text.error());
  std::vector<std::uint64_t> uids;
  std::istringstream lines(*text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("* SEARCH", 0) != 0) continue;
    std::istringstream words(line.substr(8));
    std::uint64_t uid = 0;
    // "n:*" always includes the highest UID, even one below n: filter.
    while (words >> uid) {
      if (uid >= from_uid) uids.push_back(uid);
    }
  }
  std::sort(uids.begin(), uids.end());
  return uids;
}

core::result<std::string> imap_client::fetch(const std::string& mailbox, std::uint64_t uidvalidity,
                                             std::uint64_t uid) {
  curl_.reset(endpoint_);
  capped_buffer out{{}, max_message_bytes_};
  CURL* c = curl_.get();
  const std::string url = mailbox_url(endpoint_.url, mailbox) +
                          ";UIDVALIDITY=" + std::to_string(uidvalidity) +
                          "/;UID=" + std::to_string(uid);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_message_bytes_));
  write_into(c, out);
  if (auto r = curl_.perform("imap FETCH"); !r) {
    if (out.overflowed || curl_.last_code() == CURLE_FILESIZE_EXCEEDED)
      return core::fail(core::errc::payload_too_large,
                        "message over channels.email.max_message_bytes");
    if (curl_.last_code() == CURLE_REMOTE_FILE_NOT_FOUND)
      return core::fail(core::errc::not_found, "message gone or UIDVALIDITY changed");
    return tl::unexpected(r.error());
  }
  if (out.data.empty()) return core::fail(core::errc::not_found, "message gone");
  return std::move(out.data);
}

core::result<void> imap_client::set_seen(const std::string& mailbox, std::uint64_t uid, bool seen) {
  auto r = command(
      mailbox, "UID STORE " + std::to_string(uid) + (seen ? " +" : " -") + "FLAGS.SILENT (\\Seen)");
  if (!r) return tl::unexpected(r.error());
  return {};
}

bool imap_client::supports_move() {
  if (move_supported_ < 0) {
    auto caps = command("", "CAPABILITY");
    if (!caps) return true;  // ask again next time; MOVE is the common case
    move_supported_ = caps->find(" MOVE") != std::string::npos ? 1 : 0;
  }
  return move_supported_ == 1;
}

core::result<void> imap_client::move(const std::string& mailbox, std::uint64_t uid,
                                     const std::string& to) {
  const std::string id = std::to_string(uid);
  if (supports_move()) {
    auto r = command(mailbox, "UID MOVE " + id + " " + imap_quoted(to));
    if (!r) return tl::unexpected(r.error());
    return {};
  }
  for (const std::string& cmd :
       {"UID COPY " + id + " " + imap_quoted(to), "UID STORE " + id + " +FLAGS.SILENT (\\Deleted)",
        "UID EXPUNGE " + id}) {
    if (auto r = command(mailbox, cmd); !r) return tl::unexpected(r.error());
  }
  return {};
}

core::result<void> imap_client::ensure_mailbox(const std::string& mailbox) {
  auto listed = command("", "LIST \"\" " + imap_quoted(mailbox));
  if (!listed) return tl::unexpected(listed.error());
  if (listed->find("* LIST") != std::string::npos) return {};
  auto created = command("", "CREATE " + imap_quoted(mailbox));
  if (!created) return tl::unexpected(created.error());
  return {};
}

}  // namespace intake::channels::email
