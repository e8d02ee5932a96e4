// The state schema, as versioned migrations. Append a new Migration to change it; never edit
// an applied one. Every column is NOT NULL with a default, so no NULL handling is needed.
#include "state/sql_state_store.h"

namespace rostersync {

const std::vector<Migration>& StateMigrations() {
  static const std::vector<Migration> kMigrations{
      {1,
       {
           "CREATE TABLE ledger (roster_key TEXT PRIMARY KEY, user_id TEXT NOT NULL,"
           " set_values TEXT NOT NULL DEFAULT '{}', absent_since_ms {BIGINT} NOT NULL DEFAULT 0,"
           " absent_cycles INTEGER NOT NULL DEFAULT 0, reported TEXT NOT NULL DEFAULT '[]')",
           "CREATE TABLE runs (run_id TEXT PRIMARY KEY, command TEXT NOT NULL,"
           " started_ms {BIGINT} NOT NULL, finished_ms {BIGINT} NOT NULL DEFAULT 0,"
           " result TEXT NOT NULL, exit_code INTEGER NOT NULL DEFAULT 0,"
           " actions_ok INTEGER NOT NULL DEFAULT 0, actions_failed INTEGER NOT NULL DEFAULT 0,"
           " actions_held INTEGER NOT NULL DEFAULT 0, roster_rows INTEGER NOT NULL DEFAULT 0,"
           " rejected_rows INTEGER NOT NULL DEFAULT 0, message TEXT NOT NULL DEFAULT '')",
           "CREATE INDEX runs_started ON runs (started_ms)",
           "CREATE TABLE journal (id {ID}, run_id TEXT NOT NULL, action TEXT NOT NULL,"
           " roster_key TEXT NOT NULL, user_id TEXT NOT NULL, username TEXT NOT NULL,"
           " email TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL,"
           " created_ms {BIGINT} NOT NULL)",
           "CREATE INDEX journal_state ON journal (state)",
           "CREATE TABLE audit (id {ID}, ts_ms {BIGINT} NOT NULL, run_id TEXT NOT NULL,"
           " action TEXT NOT NULL, roster_key TEXT NOT NULL, user_id TEXT NOT NULL,"
           " username TEXT NOT NULL, changes TEXT NOT NULL, result TEXT NOT NULL,"
           " http_status INTEGER NOT NULL, request_id TEXT NOT NULL, error TEXT NOT NULL)",
           "CREATE INDEX audit_ts ON audit (ts_ms)",
           "CREATE TABLE roster_fingerprint (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL,"
           " row_count {BIGINT} NOT NULL, accepted_ms {BIGINT} NOT NULL)",
       }},
      {2,
       {
           // What the server allowed in that run (docs/server-compatibility.md).
           "ALTER TABLE runs ADD COLUMN server TEXT NOT NULL DEFAULT ''",
       }},
      {3,
       {
           // Held sets and the decisions about them (approvals; sync/held_set.h).
           "CREATE TABLE held_sets (held_id TEXT PRIMARY KEY, created_ms {BIGINT} NOT NULL,"
           " run_id TEXT NOT NULL DEFAULT '', summary TEXT NOT NULL DEFAULT '',"
           " items TEXT NOT NULL DEFAULT '', decision TEXT NOT NULL DEFAULT '',"
           " approvers TEXT NOT NULL DEFAULT '', decided_ms {BIGINT} NOT NULL DEFAULT 0,"
           " detail TEXT NOT NULL DEFAULT '')",
           "CREATE INDEX held_sets_created ON held_sets (created_ms)",
       }},
      {4,
       {
           // Named values kept between processes (StateStore::GetValue, sync/state_store.h).
           "CREATE TABLE state_values (name TEXT PRIMARY KEY, value TEXT NOT NULL DEFAULT '',"
           " updated_ms {BIGINT} NOT NULL DEFAULT 0)",
       }},
  };
  return kMigrations;
}

}  // namespace rostersync
