#pragma once

#include <chrono>
#include <cstdint>

namespace intake::testing {

/// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
/// Another process may take it before the caller binds it: callers retry on failure.
std::uint16_t pick_free_port();

/// True when something accepts TCP connections on 127.0.0.1:port.
bool port_accepts(std::uint16_t port);

}  // namespace intake::testing
