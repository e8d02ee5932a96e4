// OpenStateStore: builds the StateStore that state.database names and runs its migrations.
// The caller owns the result. Safe to call from any thread.
#ifndef ROSTERSYNC_STATE_OPEN_STORE_H_
#define ROSTERSYNC_STATE_OPEN_STORE_H_

#include <memory>
#include <string>

#include "sync/state_store.h"

namespace rostersync {

// "sqlite:/path/state.db" or "postgresql:host=... dbname=... user=... [password=...]".
// With SQLite an exclusive lock on "<path>.lock" is held for the store's life: a second
// process on the same file fails with IoError saying so. Invalid for an unknown scheme;
// IoError when the database cannot be opened or migrated. A password never appears in the
// returned message. Retrying is safe.
Result<std::unique_ptr<StateStore>> OpenStateStore(const std::string& database_url);

// The URL with any password replaced by "***", for logs.
std::string RedactDatabaseUrl(const std::string& database_url);

}  // namespace rostersync

#endif  // ROSTERSYNC_STATE_OPEN_STORE_H_
