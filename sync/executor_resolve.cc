// Executor::ResolvePending: finishes the work a crash interrupted, without duplicates.
#include <algorithm>
#include <chrono>
#include <functional>

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

// How long after an entry was journaled its request may still land: the killed process's
// last requests can sit in the server's queue. Resolution waits this out (bounded) before
// reading the server back, so a late landing is not judged "not applied".
constexpr int64_t kSettleMs = 2000;

constexpr char kResolvedNote[] = "resolved after an interrupted run: the server shows the change";
constexpr char kNotAppliedNote[] =
    "not applied: resolved after an interrupted run; the next plan redoes it if still needed (";

// Runs left "running" by a process that died (kill -9, power loss): ResolvePending runs with
// the state lock (SQLite) or the leader lock (PostgreSQL) held, so no other process is still
// working on them. Marked "interrupted" once their journal entries are resolved.
Status MarkInterruptedRuns(StateStore& store, int64_t now_ms, const std::string& run_id,
                           const std::vector<RunRecord>& runs) {
  for (RunRecord r : runs) {
    if (r.finished_ms != 0 || r.result != RunResult::kRunning || r.run_id == run_id) continue;
    r.result = RunResult::kInterrupted;
    r.finished_ms = now_ms;
    r.exit_code = 1;
    r.message = "interrupted: the process ended (killed or crashed) before the run finished; "
                "its in-flight actions were resolved by run " + run_id;
    if (Status s = store.FinishRun(r); !s.ok()) return s;
  }
  return Status::Ok();
}

Status CatchUpSink(StateStore& store, AuditSink& sink, const std::vector<RunRecord>& runs) {
  int64_t since = 0;
  for (const auto& r : runs) {
    if (r.finished_ms == 0 && (since == 0 || r.started_ms < since)) since = r.started_ms;
  }
  if (since == 0) return Status::Ok();
  AuditQuery q;
  q.since_ms = since;
  q.limit = 1000000;
  auto records = store.QueryAudit(q);
  if (!records.ok()) return records.status();
  if (!records->empty()) sink.CatchUp(*records);
  return Status::Ok();
}

// The journaled action: its payload decoded, else what the journal's columns say.
Action JournaledAction(const JournalEntry& e,
                       const std::function<Result<Action>(const std::string&)>& decode,
                       bool* decoded) {
  Action a;
  *decoded = false;
  if (decode) {
    auto r = decode(e.payload);
    if (r.ok()) {
      a = std::move(*r);
      *decoded = true;
    }
  }
  if (!*decoded) {
    a.type = e.type;
    a.key = e.key;
    a.username = e.username;
    a.email = e.email;
    a.new_user.username = e.username;
    a.new_user.email = e.email;
  }
  a.user_id = e.user_id;
  return a;
}

}  // namespace

Status Executor::ResolveOne(const JournalEntry& e, Ledger* ledger) {
  bool decoded = false;
  Action a = JournaledAction(e, options_.decode_action, &decoded);
  LedgerEntry entry;
  entry.key = e.key;
  if (auto it = ledger->find(e.key); it != ledger->end()) entry = it->second;

  // Every resolved entry gets exactly one audit record, in the run that sent the request:
  // ok when the server shows the change, failed when it does not (journal: abandoned).
  auto finish_applied = [&](const std::string& user_id) -> Status {
    RecordAppliedAction(a, user_id, &entry);
    AuditRecord rec = MakeAudit(a, user_id, Status::Ok(), AuditResult::kOk);
    rec.run_id = e.run_id;  // the record belongs to the run that sent the request
    rec.error = kResolvedNote;
    Status s = store_.CompleteAction(e.id, JournalState::kDone, rec, entry);
    if (!s.ok()) return s;
    (*ledger)[e.key] = entry;
    WriteSink(rec);
    return Status::Ok();
  };
  auto abandon = [&](const std::string& why) -> Status {
    AuditRecord rec =
        MakeAudit(a, e.user_id, Status::Transient(std::string(kNotAppliedNote) + why + ")"),
                  AuditResult::kFailed);
    rec.run_id = e.run_id;
    Status s = store_.CompleteAction(e.id, JournalState::kAbandoned, rec, std::nullopt);
    if (s.ok()) WriteSink(rec);
    return s;
  };

  if (e.type == ActionType::kCreate) {
    auto found = FindCreated(a.new_user.username, a.new_user.email);
    if (found.ok()) return finish_applied(found->id);
    if (found.status().IsNotFound()) return abandon("no such account on the server");
    return found.status().Annotate("resolving the interrupted create of " + e.username);
  }
  if (e.user_id.empty() || Unreadable(e.type) || (!decoded && !CheckableWithoutPayload(e.type))) {
    return abandon("its effect cannot be read back");  // the next plan sees what is to do
  }
  auto user = api_.GetUser(e.user_id);
  if (!user.ok()) {
    if (user.status().IsNotFound()) return abandon("the account is gone");
    return user.status().Annotate("resolving the interrupted " + std::string(ActionName(e.type)) +
                                  " of " + e.key);
  }
  if (a.username.empty()) a.username = user->username;
  if (ActionDrift(a, *user).empty()) return finish_applied(e.user_id);
  return abandon("the server does not show the change");
}

Status Executor::ResolvePending() {
  auto pending = store_.PendingJournal();
  if (!pending.ok()) return pending.status();
  Status first;
  if (!pending->empty()) {
    int64_t youngest = 0;
    for (const auto& e : *pending) youngest = std::max(youngest, e.created_ms);
    const int64_t wait_ms = std::min(youngest + kSettleMs - clock_.NowMs(), kSettleMs);
    if (wait_ms > 0 &&
        SleepUnlessStopped(options_.stop, std::chrono::steady_clock::now() +
                                              std::chrono::milliseconds(wait_ms))) {
      return Status::Transient("stopping before the interrupted run's actions were resolved "
                               "(they stay journaled for the next start)");
    }
    auto loaded = store_.LoadLedger();
    if (!loaded.ok()) return loaded.status();
    Ledger ledger = std::move(*loaded);
    for (const auto& e : *pending) {
      Status s = ResolveOne(e, &ledger);
      if (!s.ok() && first.ok()) first = s;
    }
  }
  auto runs = store_.RecentRuns(20);
  if (!runs.ok()) return first.ok() ? runs.status() : first;
  if (audit_ != nullptr) {
    // Records committed to the store but not copied to the sink: a crash between the two.
    // The window is every run that never finished (a crashed one, or the current one).
    Status s = CatchUpSink(store_, *audit_, *runs);
    if (!s.ok() && first.ok()) first = s;
  }
  if (!first.ok()) return first;  // an unresolved entry keeps its run "running"
  return MarkInterruptedRuns(store_, clock_.NowMs(), options_.run_id, *runs);
}

}  // namespace rostersync
