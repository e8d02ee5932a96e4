#include "cycle/exit_codes.h"

namespace rostersync::cycle {

int ExitCodeFor(const CycleOutcome& o) {
  if (o.error) return kExitError;
  if (o.plan_only) {
    if (!o.detailed) return kExitOk;
    if (o.held > 0 || o.holds > 0 || o.attention > 0) return kExitHeld;
    return o.active_changes > 0 ? kExitChanges : kExitOk;
  }
  if (o.failed > 0) return kExitFailed;
  if (o.held > 0 || o.holds > 0 || o.attention > 0) return kExitHeld;
  return kExitOk;
}

RunResult ResultFor(int exit_code) {
  switch (exit_code) {
    case kExitOk:
    case kExitChanges:
      return RunResult::kOk;
    case kExitFailed:
      return RunResult::kPartial;
    case kExitHeld:
      return RunResult::kHeld;
    default:
      return RunResult::kFailed;
  }
}

}  // namespace rostersync::cycle
