// StateStore: the seam for durable state: identity ledger, runs, the write-ahead journal,
// the audit trail and the last accepted roster. Implemented on Poco Data in state/
// (SQLite and PostgreSQL) and in memory in tests/fakes/. Implementations are thread-safe.
// Every method returns IoError when the database fails; nothing is half-written.
#ifndef ROSTERSYNC_SYNC_STATE_STORE_H_
#define ROSTERSYNC_SYNC_STATE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/ledger.h"
#include "sync/plan.h"
#include "sync/run_states.h"
#include "sync/status.h"
#include "sync/text.h"

namespace rostersync {

struct RunRecord {
  std::string run_id;
  RunCommand command = RunCommand::kSync;  // stored as ToString (sync/run_states.h)
  int64_t started_ms = 0;
  int64_t finished_ms = 0;  // 0 while running
  RunResult result = RunResult::kRunning;
  int exit_code = 0;
  int actions_ok = 0;
  int actions_failed = 0;
  int actions_held = 0;
  int roster_rows = 0;
  int rejected_rows = 0;
  std::string message;  // one line for status
  std::string server;   // what the server allowed (ServerCapabilities::Summary()), "" if unread
  bool operator==(const RunRecord& o) const;
};

// One planned action, journaled before it is sent (write-ahead).
struct JournalEntry {
  int64_t id = 0;         // assigned by the store
  std::string run_id;
  ActionType type = ActionType::kUpdate;
  std::string key;
  std::string user_id;
  std::string username;
  std::string email;
  std::string payload;    // the action as JSON (plan_json.h), for resolution after a crash
  JournalState state = JournalState::kPending;
  int64_t created_ms = 0;
};

struct AuditRecord {
  int64_t ts_ms = 0;
  std::string run_id;
  AuditAction action = AuditAction::kUpdate;  // stored as ToString (sync/run_states.h)
  std::string key;
  std::string user_id;
  std::string username;
  std::vector<FieldChange> changes;  // never secrets
  AuditResult result = AuditResult::kOk;
  int http_status = 0;
  std::string request_id;
  std::string error;
  bool operator==(const AuditRecord& o) const;
};

struct AuditQuery {
  int64_t since_ms = 0;    // 0 = all
  // "" = any. Otherwise a person: every record of each roster key whose records ever carried
  // this name (AuditRecordCarriesName), so a renamed person's whole trail is found by any
  // username or email they had. Case-insensitive.
  std::string username;
  std::string key;         // "" = any; else only records of exactly this roster key
  int limit = 1000;
};

// True when `record` names `lower_name` (already Lower()ed): as its username, its roster
// key, or a username/email change's old or new value.
inline bool AuditRecordCarriesName(const AuditRecord& record, const std::string& lower_name) {
  if (Lower(record.username) == lower_name || Lower(record.key) == lower_name) return true;
  for (const auto& c : record.changes) {
    if (c.field != "username" && c.field != "email") continue;
    if (Lower(c.from) == lower_name || Lower(c.to) == lower_name) return true;
  }
  return false;
}

struct RosterFingerprint {
  std::string fingerprint;
  int64_t rows = 0;
  int64_t accepted_ms = 0;
};

// A set of actions a guard held back, and what a person decided about it (`rostersync held`,
// `approve`, `reject`; sync/held_set.h). One row per held id.
struct HeldSetRecord {
  std::string held_id;     // HeldSetId()
  int64_t created_ms = 0;  // first held
  std::string run_id;      // the run that first held it
  std::string summary;     // HeldSummary(): "40 deactivate"
  std::string items;       // EncodeHeldItems(): what an approval is compared against
  std::string decision;    // "" (waiting) | pending (1 of 2 approvers) | approved | rejected
  std::string approvers;   // who decided, comma-separated ("alice", "admin-token")
  int64_t decided_ms = 0;
  std::string detail;      // "40 applied", or why an approval applied nothing
  bool operator==(const HeldSetRecord& o) const {
    return held_id == o.held_id && created_ms == o.created_ms && run_id == o.run_id &&
           summary == o.summary && items == o.items && decision == o.decision &&
           approvers == o.approvers && decided_ms == o.decided_ms && detail == o.detail;
  }
};

class StateStore {
 public:
  virtual ~StateStore() = default;

  virtual Result<Ledger> LoadLedger() = 0;
  virtual Status PutLedgerEntry(const LedgerEntry& entry) = 0;
  virtual Status DeleteLedgerEntry(const std::string& key) = 0;
  // Replaces the absence bookkeeping etc. of many entries in one transaction.
  virtual Status PutLedger(const Ledger& ledger) = 0;

  virtual Status BeginRun(const RunRecord& run) = 0;
  virtual Status FinishRun(const RunRecord& run) = 0;
  virtual Result<std::vector<RunRecord>> RecentRuns(int limit) = 0;  // newest first

  // Journals an action as pending and returns its id. Call before sending the request.
  virtual Result<int64_t> JournalBegin(const JournalEntry& entry) = 0;
  // Atomically: marks journal entry `id` with `state`, appends `audit` (if given) and
  // stores `ledger` (if given). Exactly-once audit rests on this being one transaction.
  virtual Status CompleteAction(int64_t id, JournalState state,
                                const std::optional<AuditRecord>& audit,
                                const std::optional<LedgerEntry>& ledger) = 0;
  virtual Result<std::vector<JournalEntry>> PendingJournal() = 0;

  virtual Status AppendAudit(const AuditRecord& record) = 0;
  virtual Result<std::vector<AuditRecord>> QueryAudit(const AuditQuery& query) = 0;

  virtual Result<std::optional<RosterFingerprint>> LastAcceptedRoster() = 0;
  virtual Status SaveAcceptedRoster(const RosterFingerprint& fingerprint) = 0;

  // Held sets (approvals). Inserts or replaces the record with this held_id.
  virtual Status PutHeldSet(const HeldSetRecord& record) {
    (void)record;
    return Status::NotImplemented("this state store keeps no held sets");
  }
  // Newest first (created_ms), at most `limit`.
  virtual Result<std::vector<HeldSetRecord>> RecentHeldSets(int limit) {
    (void)limit;
    return Status::NotImplemented("this state store keeps no held sets");
  }

  // Small named values the cycle keeps between processes (e.g. the rate limiter's last state,
  // the incremental cycle's watermark). `name` is one of the kValue* constants below; `value`
  // is opaque text, never a secret. Absent: std::nullopt.
  virtual Result<std::optional<std::string>> GetValue(const std::string& name) {
    (void)name;
    return Status::NotImplemented("this state store keeps no named values");
  }
  // Inserts or replaces; `updated_ms` is when (Env time) the value was written.
  virtual Status PutValue(const std::string& name, const std::string& value, int64_t updated_ms) {
    (void)name;
    (void)value;
    (void)updated_ms;
    return Status::NotImplemented("this state store keeps no named values");
  }
};

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_STATE_STORE_H_
