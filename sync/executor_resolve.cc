// Executor::ResolvePending: finishes the work a crash interrupted, without duplicates.
#include <algorithm>

#include "sync/executor.h"
#include "sync/planner.h"

namespace rostersync {
namespace {

// Actions whose effect can be read back from the user without the journal payload.
bool CheckableWithoutPayload(ActionType type) {
  return type == ActionType::kDeactivate || type == ActionType::kReactivate ||
         type == ActionType::kGuest || type == ActionType::kPromote;
}

// Actions whose effect the API never shows: redo them (idempotent) rather than guess.
bool Unreadable(ActionType type) {
  // A membership's journal entry is abandoned: the next cycle reads the memberships, and a
  // join it cannot prove is not recorded as rostersync's (so it is never removed).
  return type == ActionType::kAuth || type == ActionType::kVerifyEmail ||
         type == ActionType::kPasswordReset || IsMembershipAction(type);
}

}  // namespace

Status Executor::ResolveOne(const JournalEntry& e, Ledger* ledger) {
  Action a;
  bool decoded = false;
  if (options_.decode_action) {
    auto r = options_.decode_action(e.payload);
    if (r.ok()) {
      a = std::move(*r);
      decoded = true;
    }
  }
  if (!decoded) {
    a.type = e.type;
    a.key = e.key;
    a.username = e.username;
    a.email = e.email;
    a.new_user.username = e.username;
    a.new_user.email = e.email;
  }
  a.user_id = e.user_id;
  LedgerEntry entry;
  entry.key = e.key;
  if (auto it = ledger->find(e.key); it != ledger->end()) entry = it->second;

  auto finish_applied = [&](const std::string& user_id) -> Status {
    RecordAppliedAction(a, user_id, &entry);
    AuditRecord rec = MakeAudit(a, user_id, Status::Ok(), "ok");
    rec.run_id = e.run_id;  // the record belongs to the run that sent the request
    Status s = store_.CompleteAction(e.id, "done", rec, entry);
    if (!s.ok()) return s;
    (*ledger)[e.key] = entry;
    WriteSink(rec);
    return Status::Ok();
  };
  auto abandon = [&] { return store_.CompleteAction(e.id, "abandoned", std::nullopt, std::nullopt); };

  if (e.type == ActionType::kCreate) {
    auto found = FindCreated(a.new_user.username, a.new_user.email);
    if (found.ok()) return finish_applied(found->id);
    if (found.status().IsNotFound()) return abandon();
    return found.status().Annotate("resolving the interrupted create of " + e.username);
  }
  if (e.user_id.empty() || Unreadable(e.type) || (!decoded && !CheckableWithoutPayload(e.type))) {
    return abandon();  // the next plan sees what is still to do
  }
  auto user = api_.GetUser(e.user_id);
  if (!user.ok()) {
    if (user.status().IsNotFound()) return abandon();
    return user.status().Annotate("resolving the interrupted " + std::string(ActionName(e.type)) +
                                  " of " + e.key);
  }
  if (a.username.empty()) a.username = user->username;
  if (ActionDrift(a, *user).empty()) return finish_applied(e.user_id);
  return abandon();
}

Status Executor::ResolvePending() {
  auto pending = store_.PendingJournal();
  if (!pending.ok()) return pending.status();
  Status first;
  if (!pending->empty()) {
    auto loaded = store_.LoadLedger();
    if (!loaded.ok()) return loaded.status();
    Ledger ledger = std::move(*loaded);
    for (const auto& e : *pending) {
      Status s = ResolveOne(e, &ledger);
      if (!s.ok() && first.ok()) first = s;
    }
  }
  if (audit_ == nullptr) return first;
  // Records committed to the store but not copied to the sink: a crash between the two.
  // The window is every run that never finished (a crashed one, or the current one).
  auto runs = store_.RecentRuns(20);
  if (!runs.ok()) return first.ok() ? runs.status() : first;
  int64_t since = 0;
  for (const auto& r : *runs) {
    if (r.finished_ms == 0 && (since == 0 || r.started_ms < since)) since = r.started_ms;
  }
  if (since == 0) return first;
  AuditQuery q;
  q.since_ms = since;
  q.limit = 1000000;
  auto records = store_.QueryAudit(q);
  if (!records.ok()) return first.ok() ? records.status() : first;
  if (!records->empty()) audit_->CatchUp(*records);
  return first;
}

}  // namespace rostersync
