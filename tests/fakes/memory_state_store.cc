// MemoryStateStore: see the header.
#include "tests/fakes/memory_state_store.h"

#include <algorithm>
#include <set>

namespace rostersync::testing {

Result<Ledger> MemoryStateStore::LoadLedger() {
  std::lock_guard<std::mutex> lock(mu_);
  return ledger_;
}

Status MemoryStateStore::PutLedgerEntry(const LedgerEntry& entry) {
  std::lock_guard<std::mutex> lock(mu_);
  ledger_[entry.key] = entry;
  return Status::Ok();
}

Status MemoryStateStore::DeleteLedgerEntry(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  ledger_.erase(key);
  return Status::Ok();
}

Status MemoryStateStore::PutLedger(const Ledger& ledger) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, entry] : ledger) ledger_[key] = entry;
  return Status::Ok();
}

Status MemoryStateStore::BeginRun(const RunRecord& run) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& r : runs_) {
    // As the SQL stores: a duplicate key is a storage failure (IoError "state store: ...").
    if (r.run_id == run.run_id) {
      return Status::IoError("state store: begin run failed: run " + run.run_id + " exists");
    }
  }
  runs_.push_back(run);
  return Status::Ok();
}

Status MemoryStateStore::FinishRun(const RunRecord& run) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& r : runs_) {
    if (r.run_id == run.run_id) {
      r = run;
      return Status::Ok();
    }
  }
  return Status::NotFound("run " + run.run_id);
}

Result<std::vector<RunRecord>> MemoryStateStore::RecentRuns(int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<RunRecord> out(runs_.rbegin(), runs_.rend());
  std::stable_sort(out.begin(), out.end(), [](const RunRecord& a, const RunRecord& b) {
    return a.started_ms > b.started_ms;
  });
  if (static_cast<int>(out.size()) > limit) out.resize(std::max(limit, 0));
  return out;
}

Result<int64_t> MemoryStateStore::JournalBegin(const JournalEntry& entry) {
  std::lock_guard<std::mutex> lock(mu_);
  JournalEntry e = entry;
  e.id = next_journal_id_++;
  e.state = JournalState::kPending;
  journal_[e.id] = e;
  return e.id;
}

Status MemoryStateStore::CompleteAction(int64_t id, JournalState state,
                                        const std::optional<AuditRecord>& audit,
                                        const std::optional<LedgerEntry>& ledger) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fail_complete_) return Status::IoError("simulated crash before the outcome was recorded");
  auto it = journal_.find(id);
  if (it == journal_.end()) return Status::NotFound("journal entry " + std::to_string(id));
  it->second.state = state;
  if (audit) audit_.push_back(*audit);
  if (ledger) ledger_[ledger->key] = *ledger;
  return Status::Ok();
}

Result<std::vector<JournalEntry>> MemoryStateStore::PendingJournal() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<JournalEntry> out;
  for (const auto& [id, e] : journal_) {
    if (e.state == JournalState::kPending) out.push_back(e);
  }
  return out;
}

Status MemoryStateStore::AppendAudit(const AuditRecord& record) {
  std::lock_guard<std::mutex> lock(mu_);
  audit_.push_back(record);
  return Status::Ok();
}

Result<std::vector<AuditRecord>> MemoryStateStore::QueryAudit(const AuditQuery& query) {
  std::lock_guard<std::mutex> lock(mu_);
  // The person's roster keys: those whose records ever carried the name (any time).
  const std::string name = Lower(query.username);
  std::set<std::string> keys;
  for (const auto& r : audit_) {
    if (!name.empty() && !r.key.empty() && AuditRecordCarriesName(r, name)) keys.insert(r.key);
  }
  std::vector<AuditRecord> out;
  for (auto it = audit_.rbegin(); it != audit_.rend(); ++it) {
    if (query.limit > 0 && static_cast<int>(out.size()) >= query.limit) break;  // <= 0: all
    if (it->ts_ms < query.since_ms) continue;
    if (!query.key.empty() && it->key != query.key) continue;
    if (!name.empty() && keys.count(it->key) == 0 && !AuditRecordCarriesName(*it, name)) {
      continue;
    }
    out.push_back(*it);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Result<std::optional<RosterFingerprint>> MemoryStateStore::LastAcceptedRoster() {
  std::lock_guard<std::mutex> lock(mu_);
  return roster_;
}

Status MemoryStateStore::SaveAcceptedRoster(const RosterFingerprint& fingerprint) {
  std::lock_guard<std::mutex> lock(mu_);
  roster_ = fingerprint;
  return Status::Ok();
}

void MemoryStateStore::FailCompleteAction(bool on) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_complete_ = on;
}

std::vector<JournalEntry> MemoryStateStore::Journal() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<JournalEntry> out;
  for (const auto& [id, e] : journal_) out.push_back(e);
  return out;
}

std::vector<AuditRecord> MemoryStateStore::Audit() const {
  std::lock_guard<std::mutex> lock(mu_);
  return audit_;
}

Status MemoryStateStore::PutHeldSet(const HeldSetRecord& record) {
  std::lock_guard<std::mutex> lock(mu_);
  held_sets_[record.held_id] = record;
  return Status::Ok();
}

Result<std::vector<HeldSetRecord>> MemoryStateStore::RecentHeldSets(int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<HeldSetRecord> out;
  for (const auto& [id, record] : held_sets_) out.push_back(record);
  std::sort(out.begin(), out.end(), [](const HeldSetRecord& a, const HeldSetRecord& b) {
    return a.created_ms != b.created_ms ? a.created_ms > b.created_ms : a.held_id > b.held_id;
  });
  if (limit >= 0 && out.size() > static_cast<size_t>(limit)) out.resize(limit);
  return out;
}

Result<std::optional<std::string>> MemoryStateStore::GetValue(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = values_.find(name);
  if (it == values_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Status MemoryStateStore::PutValue(const std::string& name, const std::string& value,
                                  int64_t updated_ms) {
  (void)updated_ms;
  std::lock_guard<std::mutex> lock(mu_);
  values_[name] = value;
  return Status::Ok();
}

}  // namespace rostersync::testing
