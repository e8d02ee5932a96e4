// What one cycle is asked to do (CycleRequest) and what it did (CycleResult), plus the pure
// helpers around them: the run id, the one-line summary and the RunRecord a result is
// stored as. The data flow of a cycle is drawn in docs/design.md ("One cycle").
#ifndef ROSTERSYNC_CYCLE_CYCLE_TYPES_H_
#define ROSTERSYNC_CYCLE_CYCLE_TYPES_H_

#include <cstdint>
#include <functional>
#include <string>

#include "sync/executor.h"
#include "sync/plan.h"
#include "sync/roster.h"
#include "sync/run_states.h"
#include "sync/server_capabilities.h"
#include "sync/state_store.h"
#include "sync/status.h"

namespace rostersync::cycle {

struct CycleRequest {
  bool apply = false;              // false: plan only, nothing is written anywhere
  bool force = false;              // --force: release held actions (not ambiguous matches)
  bool detailed_exitcode = false;  // plan --detailed-exitcode
  std::string only_key;            // sync-user KEY / POST /v1/users/{key}/sync
  bool full = false;               // sync --full: list every account (cycle/users_snapshot.h)
  RunCommand command = RunCommand::kSync;  // RunRecord.command
  bool progress = false;           // a progress line on stderr while applying
  // approve (daemon/held_sets.h): called with the guarded plan just before it is applied; it
  // may release held actions. An error stops the cycle (stage "approve") with nothing applied.
  std::function<Status(Plan*)> before_apply;
};

struct CycleResult {
  Status status;        // OK, or why the cycle stopped (then exit_code is 1)
  int exit_code = 0;    // docs/contract.md exit codes (cycle/exit_codes.h)
  RunResult result = RunResult::kRunning;  // ok, partial, held or failed once finished
  RunCommand command = RunCommand::kSync;  // the request's command (RunRecord.command)
  std::string run_id;
  bool planned = false;  // plan holds a plan
  Plan plan;
  bool applied = false;  // report holds the execution report
  ExecutionReport report;
  bool unauthorized = false;  // GetMe answered 401: the token is wrong (readyz not ready)
  std::string stage;          // where it stopped: state, journal, roster, server, ledger, apply
  int64_t started_ms = 0;
  double seconds = 0;
  ServerCapabilities capabilities;  // what the server allows (known=false before it was read)
  std::string held_id;        // the held set of this applied cycle ("" if none)
  std::string held_decision;  // "" waiting, or what was decided about it (rejected, ...)
  Roster roster;  // as loaded (rejected rows, notices, trust), entries cleared after planning
  bool baseline_saved = false;  // the roster became the accepted baseline (cycle/baseline.h)
  // "full" or "incremental" once the server was reached ("" before), and why.
  std::string cycle_kind;
  std::string cycle_kind_reason;
};

// "20261129T130223Z-3f9a": sortable, unique enough for one installation.
std::string NewRunId(int64_t now_ms);

// One line for logs, STATUS= and notifications: "sync ok: 3 applied, 0 failed, 0 held".
std::string CycleSummary(const CycleResult& result);

// The run as the state store and /v1/status keep it. The one place a RunRecord is built
// from a result: the stored run and the service's last run cannot disagree.
RunRecord RunRecordFor(const CycleResult& result, int64_t finished_ms);

}  // namespace rostersync::cycle

#endif  // ROSTERSYNC_CYCLE_CYCLE_TYPES_H_
