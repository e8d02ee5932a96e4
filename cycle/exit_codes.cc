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

const char* ResultLabel(int exit_code) {
  switch (exit_code) {
    case kExitOk:
    case kExitChanges:
      return "ok";
    case kExitFailed:
      return "partial";
    case kExitHeld:
      return "held";
    default:
      return "failed";
  }
}

}  // namespace rostersync::cycle
