#pragma once

#include <filesystem>
#include <string>

namespace intake::testing {

/// A fresh directory under /tmp, removed with everything in it when the owner goes away,
/// unless keep() was called (a failed test keeps its logs and feed for inspection).
class temp_dir {
 public:
  explicit temp_dir(const std::string& prefix = "intake-it");
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  void keep() { keep_ = true; }

 private:
  std::filesystem::path path_;
  bool keep_ = false;
};

}  // namespace intake::testing
