// Thin wrappers over sd_notify(3) for Type=notify units. Each is a no-op when not started
// by systemd ($NOTIFY_SOCKET unset). Thread-safe.
#ifndef ROSTERSYNC_DAEMON_SYSTEMD_NOTIFY_H_
#define ROSTERSYNC_DAEMON_SYSTEMD_NOTIFY_H_

#include <cstdint>
#include <string>

namespace rostersync::daemon {

void NotifyReady();
void NotifyStatus(const std::string& status);  // STATUS=... (shown by systemctl status)
void NotifyWatchdog();
void NotifyStopping();
void NotifyReloading();
// The watchdog period systemd expects pings within, in ms; 0 when no watchdog is set.
int64_t WatchdogIntervalMs();

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_SYSTEMD_NOTIFY_H_
