#pragma once
// Whole-file writes that a crash cannot tear: write a temp file, fsync it, rename it over the
// target, fsync the directory (mosquitto's way).
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::core {

/// Replaces `path` so that after a crash it holds the old or the new contents, never a mix.
result<void> write_file_durably(const std::string& path, std::string_view contents,
                                int mode = 0644);

/// Replaces a file atomically (temp file + rename) without waiting for the disk: for advisory
/// files such as the state file, rewritten every second, where a stale copy after a crash is
/// harmless and an fsync would compete with the outbox's.
result<void> replace_file(const std::string& path, std::string_view contents, int mode = 0644);

/// Creates a directory and its parents (mode 0750); ok when it already exists.
result<void> make_directories(const std::string& path);

}  // namespace intake::core
