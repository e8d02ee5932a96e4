// Plan as text for an administrator: a summary line first, then sections in order of
// urgency: attention, held, deactivations, creates, updates, role/guest/auth changes, rejected
// rows, unmatched accounts and notes. Every roster or server string goes through
// EscapeControl (sync/text.h). Pure functions; thread-safe.
#ifndef ROSTERSYNC_SYNC_PLAN_PRINTER_H_
#define ROSTERSYNC_SYNC_PLAN_PRINTER_H_

#include <string>

#include "sync/plan.h"

namespace rostersync {

struct PlanTextOptions {
  bool color = false;    // ANSI colours (the caller checks isatty)
  bool verbose = false;  // list every adoption note, rejected row and unmatched account
};

// Returns the whole text, every line ending in '\n'. The first line is the summary:
// "Plan: 4 actions (1 create, ...), 2 held, 1 attention, 3 rejected rows." or "No changes."
// (with any rejected rows, unmatched accounts and notices counted after it).
std::string FormatPlanText(const Plan& plan, const PlanTextOptions& options);
std::string FormatPlanText(const Plan& plan, bool color);  // not verbose

// With policy.revoke_tokens_on_deactivate on, a deactivation also revokes the person's
// personal access tokens, which no reactivation restores: says so on each deactivation
// (its detail, shown by the text plan and the plan JSON) so the plan shows it beforehand.
void NoteTokenRevocations(Plan* plan);
extern const char kRevokesTokensNote[];  // "revokes the person's access tokens"

// The one-character marker of an action type: + ~ - > ^ v #.
char ActionSymbol(ActionType type);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_PLAN_PRINTER_H_
