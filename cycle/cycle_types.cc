// NewRunId, CycleSummary, RunRecordFor: see cycle/cycle_types.h.
#include "cycle/cycle_types.h"

#include <cstdio>
#include <random>

#include "sync/clock.h"

namespace rostersync::cycle {

std::string NewRunId(int64_t now_ms) {
  std::string ts = UtcTimestamp(now_ms);  // 2026-11-29T13:02:23Z
  std::string compact;
  for (char c : ts) {
    if (c != '-' && c != ':') compact += c;
  }
  static thread_local std::mt19937 rng(std::random_device{}());
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", static_cast<unsigned>(rng() & 0xffff));
  return compact + "-" + suffix;
}

std::string CycleSummary(const CycleResult& r) {
  std::string out = std::string(r.applied ? "sync " : "plan ") + ToString(r.result);
  if (!r.status.ok()) return out + " at " + r.stage + ": " + r.status.ToString();
  if (r.applied) {
    out += ": " + std::to_string(r.report.ok) + " applied, " + std::to_string(r.report.failed) +
           " failed, " + std::to_string(r.report.held) + " held";
  } else if (r.planned) {
    out += ": " + std::to_string(r.plan.CountActive()) + " changes, " +
           std::to_string(r.plan.CountHeld()) + " held";
  }
  return out;
}

RunRecord RunRecordFor(const CycleResult& r, int64_t finished_ms) {
  RunRecord run;
  run.run_id = r.run_id;
  run.command = r.command;
  run.started_ms = r.started_ms;
  run.finished_ms = finished_ms;
  run.result = r.result;
  run.exit_code = r.exit_code;
  run.actions_ok = r.report.ok;
  run.actions_failed = r.report.failed;
  run.actions_held = r.report.held;
  run.roster_rows = r.planned ? r.plan.roster_rows : static_cast<int>(r.roster.row_count);
  run.rejected_rows =
      r.planned ? r.plan.rejected_rows : static_cast<int>(r.roster.rejected.size());
  run.message = r.status.ok() ? CycleSummary(r) : r.stage + ": " + r.status.ToString();
  if (!r.cycle_kind.empty()) run.message += "; " + r.cycle_kind + " cycle";
  if (r.capabilities.known) run.server = r.capabilities.Summary();
  return run;
}

}  // namespace rostersync::cycle
