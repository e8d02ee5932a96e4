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
// full: sync --full (?full=true: the service's cycle lists every account).
Result<CycleOutput> HandOffSync(const AdminConfig& admin, const std::string& key, bool force,
                                bool json, bool full = false);

// What the running service answered to a POST on its admin endpoint.
struct ServiceAnswer {
  int status = 0;
  std::string body;
  std::string address;  // "host:port" it was sent to
};

// POST `path` (with query) to the running service's admin endpoint, with admin.token_file's
// token when configured. Blocking (up to an hour: a sync may be long). IoError when the token
// cannot be read or the endpoint does not answer; any HTTP status is an answer.
Result<ServiceAnswer> PostToService(const AdminConfig& admin, const std::string& path);

// "host:port" of admin.listen as a client reaches it (0.0.0.0 -> 127.0.0.1, [::] -> ::1).
std::string AdminClientAddress(const std::string& listen);

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_HANDOFF_H_
