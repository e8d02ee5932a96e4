// CycleReporter: see daemon/service_reporter.h.
#include "daemon/service_reporter.h"

#include <spdlog/spdlog.h>

#include "daemon/exit_codes.h"

namespace rostersync::daemon {

void CycleReporter::NotRun(const Status& why) {
  spdlog::error("cycle not run: {}", why.ToString());
  metrics_.RecordCycle(ToString(RunResult::kFailed), 0, clock_.NowMs() / 1000.0);
  notifier_.Alert("failed:setup", "rostersync: cycle not run: " + why.ToString());
  status_("cycle failed: " + why.ToString());
}

std::string CycleReporter::Report(const CycleResult& r,
                                  const std::function<bool(const CycleResult&)>& post_held) {
  metrics_.RecordCycle(ToString(r.result), r.seconds, clock_.NowMs() / 1000.0);
  if (r.planned) {
    metrics_.SetRoster(r.plan.roster_rows, r.plan.rejected_rows);
    metrics_.SetHeld(r.plan.CountHeld());
    metrics_.SetAttention(static_cast<int>(r.plan.attention.size()));
    metrics_.SetRosterTrusted(r.roster.trusted);
  }
  if (r.applied) {
    for (const ActionOutcome& o : r.report.outcomes) {
      metrics_.RecordAction(ActionName(o.action.type),
                            o.action.held ? "held" : (o.status.ok() ? "ok" : "failed"));
    }
  }
  std::string summary = CycleSummary(r);
  if (r.exit_code == kExitError) {
    spdlog::error("cycle {}: {}", r.run_id, summary);
  } else {
    spdlog::info("cycle {}: {}", r.run_id, summary);
  }
  status_(summary);
  if (r.applied && r.report.ok > 0) notifier_.Summary("rostersync: " + summary);
  if (r.exit_code == kExitError) {
    notifier_.Alert("failed:" + r.stage, "rostersync: cycle failed: " + summary);
  } else if (r.exit_code == kExitFailed) {
    notifier_.Alert("partial", "rostersync: some actions failed: " + summary);
  }
  if (r.planned) {
    // A rejected held set is not announced again until the plan changes (held_sets.h).
    const std::string approve =
        r.held_id.empty() ? "" : " (held set " + r.held_id + ": review with `rostersync held`, "
                                 "apply exactly these with `rostersync approve " + r.held_id + "`)";
    const bool posted = !r.plan.holds.empty() &&
                        (r.held_decision == "rejected" || (post_held && post_held(r)));
    for (const Hold& h : r.plan.holds) {
      if (posted) break;
      notifier_.Alert("held:" + h.guard, "rostersync: held back: " + h.message + approve);
    }
    // One alert per person per hour (the notifier's rate limit), every hour until resolved.
    for (const Attention& a : r.plan.attention) {
      notifier_.Alert("attention:" + a.key, "rostersync: attention: " + a.message);
    }
  }
  return summary;
}

}  // namespace rostersync::daemon
