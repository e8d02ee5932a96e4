#include "cycle/guards.h"

#include <algorithm>
#include <cmath>

#include "sync/clock.h"

namespace rostersync::cycle {
namespace {

std::string FormatLimit(const Threshold& t) {
  std::string v = std::to_string(t.value);
  v.erase(v.find_last_not_of('0') + 1);
  if (!v.empty() && v.back() == '.') v.pop_back();
  return v + (t.percent ? "%" : "");
}

void HoldDeactivations(Plan* plan, const std::string& message) {
  int held = 0;
  for (Action& a : plan->actions) {
    if (a.type != ActionType::kDeactivate || a.held) continue;
    a.held = true;
    a.held_reason = message;
    ++held;
  }
  if (held > 0) plan->holds.push_back(Hold{"max_deactivations", held, message});
}

// A per-key cycle is not a sighting: the absence count stays as the scheduled cycles left
// it, and a deactivation that only this cycle's count made due is dropped.
void KeepGraceForScheduledCycles(const GuardContext& ctx, Plan* plan) {
  const int grace = ctx.policy.deactivate_after_cycles;
  auto old = ctx.ledger->find(ctx.only_key);
  const int old_cycles = old == ctx.ledger->end() ? 0 : old->second.absent_cycles;
  auto after = plan->ledger_after.find(ctx.only_key);
  if (after != plan->ledger_after.end() && after->second.absent_cycles > old_cycles) {
    after->second.absent_cycles = old_cycles;
  }
  if (grace <= 0 || old_cycles > grace) return;
  auto it = std::remove_if(plan->actions.begin(), plan->actions.end(), [&](const Action& a) {
    return a.type == ActionType::kDeactivate && a.key == ctx.only_key && !a.held;
  });
  if (it == plan->actions.end()) return;
  plan->actions.erase(it, plan->actions.end());
  plan->notices.push_back(ctx.only_key + ": absent for " + std::to_string(old_cycles) +
                          " scheduled cycle(s); deactivated after policy.deactivate_after=" +
                          std::to_string(grace) + " scheduled cycles (on-demand syncs do not "
                          "count)");
}

}  // namespace

Result<int> DeactivationsInWindow(StateStore& store, const GuardContext& ctx,
                                  int64_t* window_start_ms) {
  int64_t start = ctx.now_ms - std::max<int64_t>(ctx.interval_ms, 1000);
  Result<std::vector<RunRecord>> runs = store.RecentRuns(50);
  if (!runs.ok()) return runs.status();
  for (const RunRecord& run : *runs) {  // newest first: the last full cycle opens the window
    // A run killed mid-way ("interrupted") never finished: it does not open a new window.
    if (run.run_id == ctx.run_id || run.result == RunResult::kRunning ||
        run.result == RunResult::kInterrupted) {
      continue;
    }
    if (run.command != RunCommand::kRun && run.command != RunCommand::kSync) continue;
    if (ctx.only_key.empty()) {
      start = std::max(start, run.finished_ms);  // a full cycle: what came after the last one
    } else {
      start = std::max(start, run.started_ms);  // per key: shares the last full cycle's budget
    }
    break;
  }
  *window_start_ms = start;
  AuditQuery query;
  query.since_ms = std::max<int64_t>(start, 1);
  query.limit = 0;
  Result<std::vector<AuditRecord>> records = store.QueryAudit(query);
  if (!records.ok()) return records.status();
  int n = 0;
  for (const AuditRecord& r : *records) {
    if (r.action == AuditAction::kDeactivate && r.result == AuditResult::kOk &&
        r.run_id != ctx.run_id) {
      ++n;
    }
  }
  return n;
}

void ApplyWindowGuards(StateStore& store, const GuardContext& ctx, Plan* plan) {
  if (!ctx.only_key.empty() && ctx.ledger != nullptr) KeepGraceForScheduledCycles(ctx, plan);
  int planned = 0;
  for (const Action& a : plan->actions) {
    planned += a.type == ActionType::kDeactivate && !a.held ? 1 : 0;
  }
  if (planned == 0 || ctx.force) return;
  int64_t window_start = 0;
  Result<int> done = DeactivationsInWindow(store, ctx, &window_start);
  if (!done.ok()) {
    HoldDeactivations(plan, "the deactivation budget cannot be read from the state store (" +
                                done.status().message() + "); deactivations held");
    return;
  }
  if (*done == 0) return;  // the planner's own guard already covered this cycle alone
  const Threshold& limit = ctx.policy.max_deactivations;
  const double allowed =
      limit.percent ? plan->managed_users * limit.value / 100.0 : limit.value;
  if (planned + *done <= allowed) return;
  HoldDeactivations(plan, std::to_string(planned) + " deactivation(s) now + " +
                              std::to_string(*done) + " already applied since " +
                              UtcTimestamp(window_start) +
                              " exceed policy.max_deactivations=" + FormatLimit(limit) +
                              " (shared by every cycle within schedule.interval)");
}

}  // namespace rostersync::cycle
