// Plan as text: the table of SPEC.md ("+ create  jdoe  jane.doe@example.com  key=E1234 ..."),
// one line per action, then "! held" lines, notices and a summary line with counts.
// Pure functions; thread-safe.
#ifndef ROSTERSYNC_SYNC_PLAN_PRINTER_H_
#define ROSTERSYNC_SYNC_PLAN_PRINTER_H_

#include <string>

#include "sync/plan.h"

namespace rostersync {

// Returns the whole table, every line ending in '\n'; "No changes.\n" (after any notices)
// for a plan without actions. ANSI colours only when `color` (the caller checks isatty).
std::string FormatPlanText(const Plan& plan, bool color);

// The one-character marker of an action type: + ~ - > ^ v # (SPEC.md).
char ActionSymbol(ActionType type);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_PLAN_PRINTER_H_
