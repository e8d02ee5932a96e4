// held, approve, reject: the held sets a guard left waiting and the decisions about them
// (held_sets.h).
#include <Poco/URI.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <iostream>
#include <set>
#include <sstream>

#include "daemon/admin_server.h"
#include "daemon/commands.h"
#include "daemon/cycle.h"
#include "daemon/cycle_output.h"
#include "daemon/exit_codes.h"
#include "daemon/handoff.h"
#include "daemon/held_sets.h"
#include "daemon/wiring.h"
#include "sync/text.h"

namespace rostersync::daemon {

namespace {

// Beside a running service: POST /v1/held/{id}/approve|reject on its admin endpoint (with
// admin.token_file's token); the service audits the decision as "admin-token". Prints its
// answer; exit 0, 5 when it refused (409), 1 otherwise.
int HandOffDecision(const Config& config, const HeldDecision& d) {
  std::string only;
  for (const std::string& k : d.only_keys) {
    std::string encoded;
    Poco::URI::encode(k, ",/?#&=+% ", encoded);
    only += (only.empty() ? "" : ",") + encoded;
  }
  const std::string path = "/v1/held/" + d.held_id + (d.approve ? "/approve" : "/reject") +
                           (only.empty() ? "" : "?only=" + only);
  Result<ServiceAnswer> answer = PostToService(config.admin, path);
  if (!answer.ok()) {
    std::fprintf(stderr, "rostersync: %s\n", EscapeControl(answer.status().message()).c_str());
    return kExitError;
  }
  const int status = answer->status;
  std::fprintf(status == 200 ? stdout : stderr, "%s\n", EscapeControl(answer->body).c_str());
  return status == 200 ? kExitOk : status == 409 ? kExitRefused : kExitError;
}

}  // namespace

int CmdHeld(const CommandLine& cl) {
  std::optional<Config> config = LoadConfigOrReport(cl);
  if (!config) return kExitError;
  std::unique_ptr<StateStore> store = OpenStoreOrReport(cl, *config);
  if (!store) return kExitError;
  Result<std::vector<HeldSetRecord>> sets = store->RecentHeldSets(50);
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
  std::unique_ptr<LeaderElection> leader = MakeLeaderElection(config->state.database);
  Status lock = decision.approve ? leader->Acquire() : Status::Ok();
  if (!lock.ok() && !lock.IsConflict()) {
    std::fprintf(stderr, "rostersync approve: %s\n", lock.ToString().c_str());
    return kExitError;
  }
  if (!lock.ok()) {
    std::fprintf(stderr,
                 "rostersync approve: standby: another rostersync instance holds the leader "
                 "lock; approve on the leader (its admin endpoint: POST /v1/held/%s/approve)\n",
                 EscapeControl(decision.held_id).c_str());
    return kExitError;
  }
  Result<std::unique_ptr<CycleRunner>> runner = CycleRunner::Create(*config, nullptr);
  if (!runner.ok() && runner.status().IsConflict()) {
    bool hex = !decision.held_id.empty();
    for (char c : decision.held_id) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
    if (!hex) {
      std::fprintf(stderr, "rostersync %s: approval refused, nothing was applied: no held set "
                           "%s; `rostersync held` lists them\n",
                   cl.command.c_str(), EscapeControl(decision.held_id).c_str());
      return kExitRefused;
    }
    std::fprintf(stderr, "rostersync %s: the service holds the state database; handing the "
                         "decision to it at %s (audited as admin-token)\n",
                 cl.command.c_str(), AdminClientAddress(config->admin.listen).c_str());
    return HandOffDecision(*config, decision);
  }
  if (!runner.ok()) {
    PrintError(cl.command, runner.status());
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
