#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string_view>

namespace intake::testing {

/// A "kB" line of /proc/PID/status, e.g. "VmRSS" (resident now) or "VmHWM" (the peak
/// resident size so far); nullopt if the process or the line is not there.
std::optional<std::size_t> status_kib(pid_t pid, std::string_view field);

/// Raises this process's soft limit on open files towards `wanted` (never above the hard
/// limit) and returns the soft limit in effect. Children started afterwards inherit it.
std::size_t raise_open_file_limit(std::size_t wanted);

}  // namespace intake::testing
