#include "tests/integration/support/process_resources.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <string>

namespace intake::testing {

std::optional<std::size_t> status_kib(pid_t pid, std::string_view field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    // "VmRSS:\t   12345 kB"
    if (line.size() > field.size() && line.compare(0, field.size(), field) == 0 &&
        line[field.size()] == ':') {
      try {
        return static_cast<std::size_t>(std::stoull(line.substr(field.size() + 1)));
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

std::size_t raise_open_file_limit(std::size_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < wanted) {
    const rlim_t raised = std::min<rlim_t>(limit.rlim_max, static_cast<rlim_t>(wanted));
    rlimit next = limit;
    next.rlim_cur = raised;
    if (::setrlimit(RLIMIT_NOFILE, &next) == 0) limit = next;
  }
  return static_cast<std::size_t>(limit.rlim_cur);
}

}  // namespace intake::testing
