// Stage "apply" (docs/design.md, "One cycle"): the executor applies the plan's active
// actions, starting from the ledger the planner used (loaded once, in stage "read server").
// A stop requested before it starts applies nothing; a ledger that cannot be saved after
// stops the cycle at "ledger" (the roster is then not accepted as the baseline).
#include "cycle/stages.h"
#include "sync/executor.h"
#include "sync/text.h"

namespace rostersync::cycle {

bool ApplyPlan(CycleContext* c) {
  if (c->deps.stop != nullptr && c->deps.stop->stop_requested()) {
    return c->Stop("apply", Status::Transient("rostersync is stopping: nothing was applied"));
  }
  if (c->request.before_apply) {  // an approval releases exactly the approved held actions
    if (Status s = c->request.before_apply(&c->result.plan); !s.ok()) return c->Stop("approve", s);
  }
  ExecutorOptions exec_options;
  exec_options.concurrency = c->options.concurrency;
  exec_options.revoke_tokens_on_deactivate = c->options.revoke_tokens_on_deactivate;
  exec_options.run_id = c->result.run_id;
  exec_options.decode_action = c->options.decode_action;
  exec_options.capabilities = c->result.capabilities;
  exec_options.membership = dynamic_cast<MembershipApi*>(c->deps.api);
  exec_options.stop = c->deps.stop;
  exec_options.only_key = c->request.only_key;
  exec_options.on_progress = c->options.on_progress;
  Executor executor(*c->deps.api, *c->deps.store, c->deps.audit, *c->deps.env, exec_options);
  c->result.report = executor.Apply(c->result.plan, c->ledger);
  c->result.applied = true;
  for (const std::string& d : c->result.report.drift) c->deps.log->Warn("drift after apply: " + d);
  for (const std::string& a : c->result.report.attention) {  // found while applying (a full team)
    c->deps.log->Warn("attention: " + EscapeControl(a));
    c->result.plan.attention.push_back({"membership", "", a});
  }
  if (!c->result.report.state_status.ok()) {  // the rest was not sent: a state error, exit 1
    const ExecutionReport& r = c->result.report;
    return c->Stop("state", r.state_status.Annotate(
        "the state database failed while applying (" + std::to_string(r.ok) + " applied, " +
        std::to_string(r.failed) + " failed or not started); check that it is reachable"));
  }
  if (!c->result.report.ledger_status.ok()) {
    return c->Stop("ledger", c->result.report.ledger_status.Annotate(
                                 "actions were applied but the ledger could not be saved"));
  }
  return true;
}

}  // namespace rostersync::cycle
