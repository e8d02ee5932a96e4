// MemoryStateStore: an in-memory StateStore for unit tests, with the same semantics as the
// SQL store (QueryAudit: the newest `limit` matches, oldest first; RecentRuns newest first;
// PutLedger upserts). Thread-safe (one mutex). FailCompleteAction() simulates a crash
// between sending a request and recording its outcome.
#ifndef ROSTERSYNC_TESTS_FAKES_MEMORY_STATE_STORE_H_
#define ROSTERSYNC_TESTS_FAKES_MEMORY_STATE_STORE_H_

#include <map>
#include <mutex>
#include <vector>

#include "sync/state_store.h"

namespace rostersync::testing {

class MemoryStateStore : public StateStore {
 public:
  Result<Ledger> LoadLedger() override;
  Status PutLedgerEntry(const LedgerEntry& entry) override;
  Status DeleteLedgerEntry(const std::string& key) override;
  Status PutLedger(const Ledger& ledger) override;
  Status BeginRun(const RunRecord& run) override;
  Status FinishRun(const RunRecord& run) override;
  Result<std::vector<RunRecord>> RecentRuns(int limit) override;
  Result<int64_t> JournalBegin(const JournalEntry& entry) override;
  Status CompleteAction(int64_t id, JournalState state,
                        const std::optional<AuditRecord>& audit,
                        const std::optional<LedgerEntry>& ledger) override;
  Result<std::vector<JournalEntry>> PendingJournal() override;
  Status AppendAudit(const AuditRecord& record) override;
  Result<std::vector<AuditRecord>> QueryAudit(const AuditQuery& query) override;
  Result<std::optional<RosterFingerprint>> LastAcceptedRoster() override;
  Status SaveAcceptedRoster(const RosterFingerprint& fingerprint) override;
  Status PutHeldSet(const HeldSetRecord& record) override;
  Result<std::vector<HeldSetRecord>> RecentHeldSets(int limit) override;
  Result<std::optional<std::string>> GetValue(const std::string& name) override;
  Status PutValue(const std::string& name, const std::string& value, int64_t updated_ms) override;

  // While on, CompleteAction fails with IoError and changes nothing.
  void FailCompleteAction(bool on);
  std::vector<JournalEntry> Journal() const;  // every entry, in id order
  std::vector<AuditRecord> Audit() const;     // every record, in append order

 private:
  mutable std::mutex mu_;
  Ledger ledger_;
  std::vector<RunRecord> runs_;  // in BeginRun order
  std::map<int64_t, JournalEntry> journal_;
  std::vector<AuditRecord> audit_;
  std::optional<RosterFingerprint> roster_;
  std::map<std::string, HeldSetRecord> held_sets_;
  std::map<std::string, std::string> values_;
  int64_t next_journal_id_ = 1;
  bool fail_complete_ = false;
};

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_FAKES_MEMORY_STATE_STORE_H_
