#pragma once
// The QR codes an operator has withdrawn (`intakectl qr revoke ID`): a text file of token ids,
// one a line ('#' starts a comment). The collector rereads it when it changes, so a revocation
// takes effect at the next scan without a restart.
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::channels::qrcode {

class revocation_list {
 public:
  explicit revocation_list(std::string path);

  /// Whether `id` is listed, as of the file's current contents. An absent file lists nothing.
  bool is_revoked(std::string_view id);

  /// Adds `id` to the file at `path` (durably; nothing happens when it is listed already).
  static core::result<void> add(const std::string& path, std::string_view id,
                                std::string_view comment = {});

  /// The ids listed in a file's text.
  static std::set<std::string, std::less<>> parse(std::string_view text);

 private:
  void reload_if_changed();

  std::string path_;
  std::mutex mutex_;
  std::filesystem::file_time_type seen_time_{};
  std::uintmax_t seen_size_ = 0;
  bool seen_present_ = false;
  std::set<std::string, std::less<>> ids_;
};

}  // namespace intake::channels::qrcode
