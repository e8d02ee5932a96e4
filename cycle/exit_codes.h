// The exit codes of docs/contract.md and the one place that maps a cycle's outcome to them.
// Pure functions; thread-safe.
#ifndef ROSTERSYNC_CYCLE_EXIT_CODES_H_
#define ROSTERSYNC_CYCLE_EXIT_CODES_H_

#include "sync/run_states.h"

namespace rostersync::cycle {

constexpr int kExitOk = 0;       // success, or no changes
constexpr int kExitError = 1;    // bad config, roster unreadable, server unreachable/unauthorised
constexpr int kExitChanges = 2;  // plan --detailed-exitcode found changes
constexpr int kExitFailed = 3;   // the cycle ran but some actions failed
constexpr int kExitHeld = 4;     // a safety guard held back part of the plan

struct CycleOutcome {
  bool error = false;      // the cycle could not run (nothing or not everything was tried)
  bool plan_only = false;  // `plan`: nothing applied
  bool detailed = false;   // plan --detailed-exitcode
  int active_changes = 0;  // planned actions that are not held
  int failed = 0;          // applied actions that failed
  int held = 0;            // actions a guard held back
  int holds = 0;           // guards that held (Plan::holds); an untrusted roster holds even
                           // when it held no action, and that still exits 4
  int attention = 0;       // attention items (Plan::attention): a person must act; exits 4
};

// error -> 1. plan: 0, or with --detailed-exitcode 4 if a guard held something (an action or
// a hold with no action, e.g. an untrusted roster) or there is an attention item, else 2 if
// there are changes. sync: 3 if any action failed, else 4 if anything was held or needs
// attention, else 0.
int ExitCodeFor(const CycleOutcome& outcome);

// ok, partial, held, failed: the RunRecord.result (and, as ToString, the metric label) for
// an exit code.
RunResult ResultFor(int exit_code);

}  // namespace rostersync::cycle

#endif  // ROSTERSYNC_CYCLE_EXIT_CODES_H_
