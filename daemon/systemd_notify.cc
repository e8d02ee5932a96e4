#include "daemon/systemd_notify.h"

#include <systemd/sd-daemon.h>

namespace rostersync::daemon {

void NotifyReady() { sd_notify(0, "READY=1"); }
void NotifyStatus(const std::string& status) { sd_notify(0, ("STATUS=" + status).c_str()); }
void NotifyWatchdog() { sd_notify(0, "WATCHDOG=1"); }
void NotifyStopping() { sd_notify(0, "STOPPING=1"); }
void NotifyReloading() { sd_notify(0, "RELOADING=1"); }

int64_t WatchdogIntervalMs() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0) return 0;
  return static_cast<int64_t>(usec / 1000);
}

}  // namespace rostersync::daemon
