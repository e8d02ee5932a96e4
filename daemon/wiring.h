// Production wiring: builds the Mattermost client, the state store, the audit file and the
// leader election from a Config. Internal to daemon/; the only file that includes api/ and
// state/ headers (besides two interfaces; tests/cycle/boundaries.cmake checks it).
#ifndef ROSTERSYNC_DAEMON_WIRING_H_
#define ROSTERSYNC_DAEMON_WIRING_H_

#include <sys/stat.h>
#include <sys/types.h>

#include <memory>
#include <string>

#include "config/config.h"
#include "sync/leader_election.h"
#include "sync/server_capabilities.h"
#include "sync/state_store.h"
#include "sync/status.h"

namespace rostersync::daemon {

// Opens state.database (sqlite:... or postgresql:...). IoError/Invalid saying what to do;
// never includes a connection password. Safe to retry.
Result<std::unique_ptr<StateStore>> OpenStore(const Config& config);

// Who applies changes when several instances share state.database: the PostgreSQL advisory
// lock (state/leader_lock.h) for a PostgreSQL database, else always this process; takes and
// losses of the lock are logged (daemon/leader_lock.h). Connects at the first Acquire().
std::unique_ptr<LeaderElection> MakeLeaderElection(const std::string& database);

// For status, audit and plan: an SQLite reader that takes no lock, so these work beside a
// running service (see OpenStateStoreForReading). Never write through it.
Result<std::unique_ptr<StateStore>> OpenStoreForReading(const Config& config);

// GET /config/client and /license/client once (one attempt, at most 10 s), for check-config.
// The token's errors and the URL's password never reach the message.
Result<ServerCapabilities> ReadServerCapabilities(const Config& config);

// The URL with any "user:password@" password shown as "***": "https://bob:***@host/x".
std::string UrlForDisplay(const std::string& url);
// state.database as shown to a person: the path kept, any password masked.
std::string DatabaseForDisplay(const std::string& database_url);
// `text` with the password of `url`'s user info (if any) replaced by "***".
std::string ScrubUrlPassword(std::string text, const std::string& url);

// The daemon's own files (--pidfile, --logfile), held to the audit file's rules
// (state/owned_file.h): a regular file, never a symlink or a FIFO (the open never blocks),
// owned by root or us, not world-writable. `st`: an existing file's lstat.
Status CheckDaemonFile(const std::string& what, const std::string& path, const struct stat& st);
// The descriptor (blocking, the caller closes it) or an IoError saying what to fix.
Result<int> OpenDaemonFile(const std::string& what, const std::string& path, int flags,
                           mode_t mode);

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_WIRING_H_
