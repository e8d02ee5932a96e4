// The roster: sources (CSV file, SQL query), mapping of raw rows to RosterEntry values
// (docs/contract.md `fields`), validation against the server's rules (docs/server-facts.md) and the
// integrity gate that decides whether the roster may drive deactivations. Functions are stateless
// and thread-safe; a RosterSource is used by one thread at a time.
#ifndef ROSTERSYNC_ROSTER_ROSTER_LOADER_H_
#define ROSTERSYNC_ROSTER_ROSTER_LOADER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "sync/options.h"
#include "sync/roster.h"
#include "sync/roster_source.h"
#include "sync/state_store.h"
#include "sync/status.h"

namespace rostersync {

// A RosterSource for the configured roster (csv or sql). Invalid for a bad config (unknown
// source or connector, no connection string, env var unset, credential file unreadable).
// Nothing is opened yet; Read() does the I/O and may be retried.
Result<std::unique_ptr<RosterSource>> MakeRosterSource(const RosterConfig& config);

// Maps raw rows to RosterEntry values (fields.*), validates each against the server's
// rules and rejects bad rows with where/key/column/reason (their keys go to rejected_keys,
// so their people are never deactivated because of it). Duplicate keys, usernames or emails
// reject every row involved. Username collisions produced by a template are resolved by a
// suffix 2, 3… in order of key (numeric keys numerically) and reported as notices.
// A missing key column, or a column that fields.* names but the header lacks, rejects every
// row and marks the roster untrusted here (the reason says which column).
Roster MapRoster(const RawTable& table, const FieldsConfig& fields, const std::string& key_column);
// The same, releasing each row of `table` once it is mapped (lower peak memory). `table` is
// left with its columns and errors but emptied rows.
Roster MapRosterConsuming(RawTable&& table, const FieldsConfig& fields,
                          const std::string& key_column);

// The integrity gate: marks the roster untrusted (reasons filled, worded for an
// administrator) when it has fewer than min_rows accepted entries, the file is older than
// max_age (modified_ms vs now_ms; skipped when either is 0), a row was rejected without a
// readable key (its person cannot be protected), or it shrank against the last accepted
// roster by more than max_deactivations (a count, or a percentage of the last accepted
// rows). Never marks an untrusted roster trusted. Also fills roster->fingerprint.
// Untrusted rosters may still create/update; the planner then holds all deactivations.
void ApplyIntegrityGate(Roster* roster, const RosterConfig& config,
                        const Threshold& max_deactivations,
                        const std::optional<RosterFingerprint>& last_accepted,
                        int64_t modified_ms, int64_t now_ms);

// Read + map + gate in one call. The error of Read() (IoError: cannot be read at all;
// Invalid: the header is unusable) is returned as is: the caller exits 1 and applies
// nothing destructive. Safe to retry.
Result<Roster> LoadRoster(RosterSource& source, const Config& config,
                          const std::optional<RosterFingerprint>& last_accepted, int64_t now_ms);

// The rejected rows grouped by (column, reason), one line per group with its count and the
// first few rows: "300 rows rejected: status: status '' is neither ... (roster.csv:2,
// roster.csv:3, roster.csv:4 and 297 more)". For logs and terminals: a problem of every row
// is said once. Values are escaped (EscapeControl). At most `max_lines` lines (the last
// one counts the groups left out).
std::vector<std::string> SummarizeRejected(const Roster& roster, size_t max_lines = 20);

// check-config's look at the roster header: for a CSV source whose file is readable now,
// reads the header only and returns the problems a cycle would reject every row for (the
// key column or a mapped column missing, a wrong delimiter, not UTF-8). Empty when fine,
// when the source is SQL, or when the file cannot be read (check-config warns about that).
std::vector<std::string> CheckRosterHeader(const Config& config);

// What to store with StateStore::SaveAcceptedRoster after a trusted roster was applied:
// rows = accepted entries (the number the next gate compares against).
RosterFingerprint AcceptedFingerprint(const Roster& roster, int64_t now_ms);

// The stable digest of the accepted content (entries in key order, every field):
// 16 hex digits of FNV-1a 64. Row order in the export does not change it.
std::string RosterDigest(const Roster& roster);

}  // namespace rostersync

#endif  // ROSTERSYNC_ROSTER_ROSTER_LOADER_H_
