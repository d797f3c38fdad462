#include "collectors/intake-collector/open_files.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <string>

#include "common/core/log.hpp"

namespace intake::collector {

std::size_t ensure_open_files(std::size_t max_connections) {
  const auto wanted = static_cast<rlim_t>(max_connections + reserved_files);
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < wanted && limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = std::min(wanted, limit.rlim_max);
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur < wanted) {
    // Not fatal: it only matters under a flood of connections, when accepting fails (and a
    // media file may fail to open) until some close. The operator should raise LimitNOFILE or
    // lower http.max_connections.
    core::log::warn("open_file_limit_below_max_connections",
                    {{"limit", std::to_string(limit.rlim_cur)},
                     {"max_connections", std::to_string(max_connections)},
                     {"wanted", std::to_string(wanted)}});
  }
  return static_cast<std::size_t>(limit.rlim_cur);
}

}  // namespace intake::collector
