#include "channels/qrcode/revocation_list.hpp"

#include <fstream>
#include <sstream>

#include "common/core/durable_file.hpp"

namespace intake::channels::qrcode {

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

revocation_list::revocation_list(std::string path) : path_(std::move(path)) {}

std::set<std::string, std::less<>> revocation_list::parse(std::string_view text) {
  std::set<std::string, std::less<>> ids;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    auto line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    line = trim(line.substr(0, line.find('#')));
    if (!line.empty()) ids.emplace(line);
  }
  return ids;
}

void revocation_list::reload_if_changed() {
  std::error_code ec;
  const auto time = std::filesystem::last_write_time(path_, ec);
  if (ec) {
    ids_.clear();
    seen_present_ = false;
    return;
  }
  const auto size = std::filesystem::file_size(path_, ec);
  if (!ec && seen_present_ && time == seen_time_ && size == seen_size_) return;
  ids_ = parse(read_all(path_));
  seen_present_ = true;
  seen_time_ = time;
  seen_size_ = ec ? 0 : size;
}

bool revocation_list::is_revoked(std::string_view id) {
  std::lock_guard lock(mutex_);
  reload_if_changed();
  return ids_.count(id) > 0;
}

core::result<void> revocation_list::add(const std::string& path, std::string_view id,
                                        std::string_view comment) {
  std::string text = read_all(path);
  if (parse(text).count(id)) return {};
  if (!text.empty() && text.back() != '\n') text += '\n';
  text.append(id);
  if (!comment.empty()) text.append("  # ").append(comment);
  text += '\n';
  return core::write_file_durably(path, text, 0644);
}

}  // namespace intake::channels::qrcode
