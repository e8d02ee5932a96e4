// The exit codes of docs/contract.md, defined with the cycle core (cycle/exit_codes.h); the
// daemon's commands use them under their daemon:: names.
#ifndef ROSTERSYNC_DAEMON_EXIT_CODES_H_
#define ROSTERSYNC_DAEMON_EXIT_CODES_H_

#include "cycle/exit_codes.h"

namespace rostersync::daemon {

using cycle::CycleOutcome;
using cycle::ExitCodeFor;
using cycle::kExitChanges;
using cycle::kExitError;
using cycle::kExitFailed;
using cycle::kExitHeld;
using cycle::kExitOk;
using cycle::ResultFor;

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_EXIT_CODES_H_
