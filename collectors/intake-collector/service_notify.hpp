#pragma once
// systemd's notification protocol (sd_notify(3)) without linking libsystemd: one datagram to
// $NOTIFY_SOCKET. READY=1 once the collector serves; WATCHDOG=1 from the main loop, so a hung
// collector is restarted by WatchdogSec=; STOPPING=1 when a stop begins. Without
// $NOTIFY_SOCKET (not under systemd) every call does nothing.
#include <string_view>

namespace intake::collector {

/// Sends `state` (e.g. "READY=1") to the service manager; false when there is none or the send
/// failed (never fatal: the service runs on without it).
bool notify_service_manager(std::string_view state);

}  // namespace intake::collector
