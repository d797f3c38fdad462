#pragma once
// The collector's open-file limit against http.max_connections: every connection is a file,
// and a collector that runs out of them cannot open its outbox or media files either.
#include <cstddef>

namespace intake::collector {

/// Files kept for everything but client connections: the outbox and its WAL, media files,
/// the broker's and the mail server's connections, the listening sockets, logs.
inline constexpr std::size_t reserved_files = 256;

/// Raises the soft RLIMIT_NOFILE towards max_connections + reserved_files (never above the
/// hard limit), and warns when the limit in effect stays below that. Returns the soft limit.
std::size_t ensure_open_files(std::size_t max_connections);

}  // namespace intake::collector
