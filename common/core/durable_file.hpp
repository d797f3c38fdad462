#pragma once
// Whole-file writes that a crash cannot tear: write a temp file, fsync it, rename it over the
// target, fsync the directory (mosquitto's way).
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::core {

result<void> write_file_durably(const std::string& path, std::string_view contents,
                                int mode = 0644);

/// Creates a directory and its parents (mode 0750); ok when it already exists.
result<void> make_directories(const std::string& path);

}  // namespace intake::core
