// Hand-off of `sync` / `sync-user` to a running `rostersync run`: when the state database is
// locked by the service, the CLI asks it over the admin endpoint (POST /v1/sync?wait=true or
// POST /v1/users/{key}/sync?wait=true, with the admin token when configured) and prints the
// same output. Blocking; thread-safe.
#ifndef ROSTERSYNC_DAEMON_HANDOFF_H_
#define ROSTERSYNC_DAEMON_HANDOFF_H_

#include <string>

#include "config/config.h"
#include "daemon/cycle_output.h"
#include "sync/status.h"

namespace rostersync::daemon {

// key "" = a full sync. IoError when the endpoint cannot be reached; the service's own
// refusals (401, 409 standby) as Unauthorized/Conflict with its message.
Result<CycleOutput> HandOffSync(const AdminConfig& admin, const std::string& key, bool force,
                                bool json);

// "host:port" of admin.listen as a client reaches it (0.0.0.0 -> 127.0.0.1, [::] -> ::1).
std::string AdminClientAddress(const std::string& listen);

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_HANDOFF_H_
