// CycleCore::Run and the context every stage shares (cycle/stages.h).
#include "cycle/cycle_core.h"

#include "cycle/exit_codes.h"
#include "cycle/stages.h"

namespace rostersync::cycle {

void CycleContext::Finish() {
  CycleResult& r = result;
  CycleOutcome outcome;
  outcome.error = !r.status.ok();
  outcome.plan_only = !request.apply;
  outcome.detailed = request.detailed_exitcode;
  if (r.planned) {
    outcome.active_changes = r.plan.CountActive();
    outcome.held = r.plan.CountHeld();
    outcome.holds = static_cast<int>(r.plan.holds.size());
    outcome.attention = static_cast<int>(r.plan.attention.size());
  }
  if (r.applied) {
    outcome.failed = r.report.failed;
    outcome.held = r.report.held;
  }
  r.exit_code = ExitCodeFor(outcome);
  r.result = ResultFor(r.exit_code);
  r.seconds = static_cast<double>(deps.env->NowMs() - r.started_ms) / 1000.0;
  r.roster.entries.clear();
  r.roster.entries.shrink_to_fit();
}

bool CycleContext::Stop(const char* stage, const Status& raw) {
  // A "user:password@" in mattermost.url never reaches a message.
  const std::string message = options.scrub ? options.scrub(raw.message()) : raw.message();
  result.stage = stage;
  result.status = Status(raw.code(), message);
  result.unauthorized = result.status.IsUnauthorized();
  Finish();
  deps.log->Error("cycle " + result.run_id + " stopped at " + stage + ": " +
                  result.status.ToString());
  if (run_begun) {
    Status s = deps.store->FinishRun(RunRecordFor(result, deps.env->NowMs()));
    if (!s.ok()) deps.log->Error("cannot record run " + result.run_id + ": " + s.ToString());
  }
  return false;
}

CycleResult CycleCore::Run(const CycleOptions& options, const CycleRequest& request) {
  CycleContext c{deps_, options, request};
  c.result.started_ms = deps_.env != nullptr ? deps_.env->NowMs() : 0;
  c.result.run_id = NewRunId(c.result.started_ms);
  c.result.command = request.command;
  c.run.run_id = c.result.run_id;
  c.run.command = request.command;
  c.run.started_ms = c.result.started_ms;
  c.run.result = RunResult::kRunning;
  if (deps_.roster == nullptr || deps_.loader == nullptr || deps_.api == nullptr ||
      deps_.store == nullptr || deps_.env == nullptr || deps_.log == nullptr) {
    // Nothing to log or record with: the result alone says it.
    c.result.stage = "state";
    c.result.status =
        Status::Internal("cycle built without a roster, api, state store, env or log");
    c.result.exit_code = kExitError;
    c.result.result = RunResult::kFailed;
    return std::move(c.result);
  }
  if (options.insecure_skip_verify) {
    deps_.log->Warn("mattermost.insecure_skip_verify is true: TLS certificates are NOT verified");
  }
  if (Recover(&c) && ReadRoster(&c) && ReadServer(&c) && MakeCyclePlan(&c)) {
    if (!request.apply) {
      c.Finish();
    } else if (ApplyPlan(&c)) {
      RecordCycle(&c);
    }
  }
  KeepSnapshot(&c);  // what the next cycle may refresh instead of listing (users_snapshot.h)
  return std::move(c.result);
}

}  // namespace rostersync::cycle
