// Stage "read server" of an incremental cycle (docs/design.md, "Full and incremental
// cycles"): the ledger, then the snapshot's users refreshed with what changed since its
// watermark (cycle/incremental_read.h) instead of a listing. Any failure stops the cycle
// before planning, like a failed listing, and drops the snapshot: the next cycle is full.
// Also KeepSnapshot, run after every cycle: what the snapshot keeps of it.
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
  const bool kept = r.status.ok() && r.planned && r.applied && c->server_time_ms.has_value() &&
                    finished;
  if (!kept) {
    snapshot->Invalidate();
    return;
  }
  snapshot->users = std::move(c->users);
  snapshot->watermark_ms = *c->server_time_ms - 1000 - kWatermarkMarginMs;
  if (c->kind == CycleKind::kFull) snapshot->last_full_ms = r.started_ms;
  snapshot->touched.clear();
  for (const Action& a : r.plan.actions) {
    if (!a.user_id.empty()) snapshot->touched.insert(a.user_id);
  }
  snapshot->valid = true;
}

}  // namespace rostersync::cycle
