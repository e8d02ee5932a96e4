// held, approve, reject: the held sets a guard left waiting and the decisions about them
// (held_sets.h).
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <set>

#include "daemon/admin_server.h"
#include "daemon/commands.h"
#include "daemon/cycle.h"
#include "daemon/cycle_output.h"
#include "daemon/exit_codes.h"
#include "daemon/handoff.h"
#include "daemon/held_sets.h"
#include "daemon/leader_lock.h"
#include "daemon/wiring.h"
#include "state/open_store.h"
#include "sync/text.h"

namespace rostersync::daemon {

int CmdHeld(const CommandLine& cl) {
  std::optional<Config> config = LoadConfigOrReport(cl);
  if (!config) return kExitError;
  Result<std::unique_ptr<StateStore>> store = OpenStoreForReading(*config);
  if (!store.ok()) {
    PrintError(cl.command, store.status());
    return kExitError;
  }
  Result<std::vector<HeldSetRecord>> sets = (*store)->RecentHeldSets(50);
  if (!sets.ok()) {
    PrintError(cl.command, sets.status());
    return kExitError;
  }
  std::cout << (cl.Has("--json") ? HeldSetsToJson(*sets) + "\n" : HeldSetsToText(*sets));
  std::cout.flush();
  return kExitOk;
}

int CmdDecide(const CommandLine& cl) {
  std::optional<Config> config = LoadConfigOrReport(cl);
  if (!config) return kExitError;
  HeldDecision decision;
  decision.held_id = cl.positionals.at(0);
  decision.approve = cl.command == "approve";
  decision.only_keys = ParseOnlyKeys(cl.Get("--only"));
  decision.approver = CliApprover();
  decision.second_approver_above = config->approvals.second_approver_above;
  LeaderLock leader(config->state.database);
  if (decision.approve && leader.needed() && !leader.TryAcquire()) {
    std::fprintf(stderr,
                 "rostersync approve: standby: another rostersync instance holds the leader "
                 "lock; approve on the leader (its admin endpoint: POST /v1/held/%s/approve)\n",
                 EscapeControl(decision.held_id).c_str());
    return kExitError;
  }
  Result<std::unique_ptr<CycleRunner>> runner = CycleRunner::Create(*config, nullptr);
  if (!runner.ok()) {
    PrintError(cl.command, runner.status());
    if (runner.status().IsConflict()) {
      std::fprintf(stderr, "rostersync %s: the running service decides held sets: POST "
                           "/v1/held/%s/%s on its admin endpoint %s\n",
                   cl.command.c_str(), EscapeControl(decision.held_id).c_str(),
                   cl.command.c_str(), AdminClientAddress(config->admin.listen).c_str());
    }
    return kExitError;
  }
  CycleRunner& run = **runner;
  DecisionOutcome out = DecideHeldSet(run.store(), run.audit(), decision, SystemClock().NowMs(),
                                      [&](const CycleRequest& r) { return run.Run(r); });
  if (out.cycle_ran && out.exit_code != kExitRefused && out.cycle.status.ok()) {
    CycleOutput printed = RenderCycle(out.cycle, "approve", false, isatty(STDOUT_FILENO) == 1,
                                      false);
    std::cout << printed.out;
    std::cerr << printed.err;
  }
  std::fprintf(out.exit_code == kExitOk ? stdout : stderr, "rostersync %s: %s\n",
               cl.command.c_str(), EscapeControl(out.message).c_str());
  return out.exit_code;
}

}  // namespace rostersync::daemon
