// OpenStateStore: builds the StateStore that state.database names and runs its migrations.
// The caller owns the result. Safe to call from any thread.
#ifndef ROSTERSYNC_STATE_OPEN_STORE_H_
#define ROSTERSYNC_STATE_OPEN_STORE_H_

#include <memory>
#include <string>

#include "sync/state_store.h"

namespace rostersync {

// "sqlite:/path/state.db" or "postgresql:host=... dbname=... user=... [password=...]".
// With SQLite the database file is created 0600 and an exclusive flock on the file itself
// (its device+inode: a symlink or a second path cannot bypass it) is held for the store's
// life: a second opener fails with Conflict naming the path and the PID holding it. Invalid
// for an unknown scheme; IoError when the database cannot be opened or migrated. A password
// never appears in the returned message. Retrying is safe.
Result<std::unique_ptr<StateStore>> OpenStateStore(const std::string& database_url);

// For read-only commands (status, audit, plan) beside a running service: SQLite is opened
// without the exclusive lock (a WAL reader) and without migrating; when the file does not
// exist yet or its schema is behind, this falls back to OpenStateStore(). PostgreSQL: as
// OpenStateStore(). The caller must not write through the result.
Result<std::unique_ptr<StateStore>> OpenStateStoreForReading(const std::string& database_url);

// The PID holding an flock on the file at `path` (from /proc/locks), or 0 when unknown.
int FlockHolderPid(const std::string& path);

// The URL with any password replaced by "***", for logs.
std::string RedactDatabaseUrl(const std::string& database_url);

}  // namespace rostersync

#endif  // ROSTERSYNC_STATE_OPEN_STORE_H_
