// Stage "read server" of an incremental cycle (docs/design.md, "Full and incremental
// cycles"): the ledger, then the snapshot's users refreshed with what changed since its
// watermark (cycle/incremental_read.h) instead of a listing. Any failure stops the cycle
// before planning, like a failed listing, and drops the snapshot: the next cycle is full.
// Also KeepSnapshot, run after every cycle: what the snapshot keeps of it (nothing after a
// failed or held cycle, a missing Date, or a write that found an account gone: 404).
#include <algorithm>

#include "cycle/stages.h"
#include "sync/text.h"

namespace rostersync::cycle {

bool ReadServerIncremental(CycleContext* c, const RowLookups& lookups) {
  Result<Ledger> ledger = c->deps.store->LoadLedger();
  if (!ledger.ok()) return c->Stop("state", ledger.status());
  c->ledger = std::move(ledger).value();
  UsersSnapshot& snapshot = *c->deps.snapshot;
  c->users = std::move(snapshot.users);
  snapshot.users.clear();
  snapshot.valid = false;  // until KeepSnapshot puts the refreshed view back
  Result<DeltaRead> read = RefreshView(*c->deps.api, snapshot, c->ledger, lookups, &c->users);
  if (!read.ok()) {
    return c->Stop("server", read.status().Annotate(
                                 "the incremental read of " + c->options.server +
                                 " failed (nothing was changed; the next cycle is full)"));
  }
  c->deps.log->Info("cycle " + c->result.run_id + ": incremental read: " +
                    std::to_string(read->checked) + " accounts checked for changes, " +
                    std::to_string(read->changed) + " changed, " +
                    std::to_string(read->reread) + " re-read (" + std::to_string(read->gone) +
                    " gone), " + std::to_string(read->looked_up) + " found by username or email, " +
                    std::to_string(read->requests) + " requests");
  return true;
}

namespace {

// Logs once (until the clocks agree again) that the server's Date is far from our clock: the
// watermark then comes from the earlier clock (WatermarkFor), so the cycles stay safe.
void WarnOfDateSkew(CycleContext* c) {
  UsersSnapshot& snapshot = *c->deps.snapshot;
  const int64_t local_ms = c->result.started_ms;
  if (!DateSkewed(*c->server_time_ms, local_ms)) {
    snapshot.date_skew_warned = false;
    return;
  }
  if (snapshot.date_skew_warned) return;
  snapshot.date_skew_warned = true;
  c->deps.log->Warn("the Date header of " + EscapeControl(c->options.server) + " is " +
                    std::to_string((*c->server_time_ms - local_ms) / 1000) +
                    " s away from this host's clock (a proxy or a clock off?); incremental "
                    "cycles take their watermark from the earliest of the server's Date, the "
                    "accounts' update_at and this host's clock, so no change is missed");
}

// The first write to an existing account that answered 404 (deleted permanently on the
// server since it was read), or null. The snapshot still holds such an account, and an
// incremental read never learns that it is gone: only a listing does.
const ActionOutcome* WriteToAGoneAccount(const ExecutionReport& report) {
  for (const ActionOutcome& o : report.outcomes) {
    const bool not_found = o.status.IsNotFound() || o.status.http_status() == 404;
    if (not_found && o.action.type != ActionType::kCreate && !IsMembershipAction(o.action.type) &&
        !o.action.user_id.empty()) {
      return &o;
    }
  }
  return nullptr;
}

}  // namespace

void KeepSnapshot(CycleContext* c) {
  UsersSnapshot* snapshot = c->deps.snapshot;
  if (snapshot == nullptr || !c->request.apply) return;  // a plan changes nothing
  const CycleResult& r = c->result;
  if (!c->request.only_key.empty()) {
    // A per-key cycle lists every account but keeps the snapshot; what it acted on is
    // re-read by the next incremental cycle.
    if (snapshot->valid && r.planned) {
      for (const Action& a : r.plan.actions) {
        if (!a.user_id.empty()) snapshot->touched.insert(a.user_id);
      }
    }
    return;
  }
  // Held actions (a guard, an approval pending) make the next cycle full; an attention
  // item alone (exit code 4 as well) does not, or one leaver rostersync may not deactivate
  // would keep every cycle full.
  const bool held = r.plan.CountHeld() > 0 || r.report.held > 0 || !r.plan.holds.empty();
  const bool finished = r.result == RunResult::kOk || r.result == RunResult::kPartial ||
                        (r.result == RunResult::kHeld && !held);
  if (!(r.status.ok() && r.planned && r.applied && finished)) {
    snapshot->Invalidate("the previous cycle failed or was held");
    return;
  }
  if (!c->server_time_ms.has_value()) {
    snapshot->Invalidate("the server sent no Date header to take a watermark from");
    return;
  }
  if (const ActionOutcome* gone = WriteToAGoneAccount(r.report)) {
    const std::string who = EscapeControl(gone->action.username.empty() ? gone->action.user_id
                                                                        : gone->action.username);
    c->deps.log->Warn("cycle " + r.run_id + ": account " + who +
                      " is gone from the server (404 on a write): the next cycle is full");
    snapshot->Invalidate("account " + who +
                         " answered 404 to a write (deleted on the server): only a listing "
                         "shows what is gone");
    return;
  }
  WarnOfDateSkew(c);
  WatermarkInput mark;
  mark.server_date_ms = c->server_time_ms;
  mark.local_ms = r.started_ms;
  for (const User& u : c->users) {
    mark.newest_update_at_ms = std::max(mark.newest_update_at_ms, u.update_at);
  }
  snapshot->users = std::move(c->users);
  snapshot->watermark_ms = WatermarkFor(mark);
  if (c->kind == CycleKind::kFull) snapshot->last_full_ms = r.started_ms;
  snapshot->touched.clear();
  for (const Action& a : r.plan.actions) {
    if (!a.user_id.empty()) snapshot->touched.insert(a.user_id);
  }
  snapshot->valid = true;
}

}  // namespace rostersync::cycle
