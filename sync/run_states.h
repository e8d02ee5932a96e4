// The typed states of a run (RunRecord: which command ran it, how it ended), of a journal
// entry (JournalEntry: pending until its outcome is recorded) and of an audit record
// (AuditRecord: what was done, how it ended). Code passes the enums; strings exist only at
// the storage and JSON edges, through the one ToString/FromString pair of each (the names
// are the stored and documented ones).
#ifndef ROSTERSYNC_SYNC_RUN_STATES_H_
#define ROSTERSYNC_SYNC_RUN_STATES_H_

#include <string_view>

#include "sync/status.h"

namespace rostersync {

enum class ActionType;  // sync/plan.h

enum class RunCommand { kPlan, kSync, kSyncUser, kRun, kApprove };
// kRunning until it finishes; kInterrupted when the process died first (found by the next
// run); else what the exit code says (cycle/exit_codes.h: ResultFor).
enum class RunResult { kRunning, kOk, kPartial, kHeld, kFailed, kInterrupted };

// pending: journaled, not yet known to have happened; done / failed: the server answered;
// abandoned: resolved after a crash as not applied (sync/executor.h, ResolvePending).
enum class JournalState { kPending, kDone, kFailed, kAbandoned };

const char* ToString(RunCommand command);  // "plan", "sync", "sync-user", "run"
const char* ToString(RunResult result);    // "running", "ok", "partial", "held", "failed",
                                           // "interrupted"
// Invalid (naming the value) for a name that is none of the above.
Result<RunCommand> RunCommandFromString(std::string_view name);
Result<RunResult> RunResultFromString(std::string_view name);
const char* ToString(JournalState state);  // "pending", "done", "failed", "abandoned"
Result<JournalState> JournalStateFromString(std::string_view name);

// What an audit record records: one of the plan's actions (the first values, in ActionType's
// order and named by ActionName) or a person's decision on a held set (daemon/held_sets.h).
enum class AuditAction {
  kReactivate, kCreate, kPromote, kUpdate, kAuth, kRole, kGuest, kVerifyEmail,
  kPasswordReset, kDeactivate, kJoinTeam, kJoinChannel, kLeaveChannel, kLeaveTeam,
  kApprove, kReject,
  kClick,  // a refused approval button click that names no known action
};
// ok: applied (a decision: every released action applied); failed: the server refused it or
// it could not be sent (a decision: some released action failed); held: a guard held it back;
// pending: the first of two approvals; refused: an approval or rejection that applied nothing.
enum class AuditResult { kOk, kFailed, kHeld, kPending, kRefused };

AuditAction AuditActionOf(ActionType type);
const char* ToString(AuditAction action);  // ActionName(), or "approve", "reject", "click"
Result<AuditAction> AuditActionFromString(std::string_view name);
const char* ToString(AuditResult result);  // "ok", "failed", "held", "pending", "refused"
Result<AuditResult> AuditResultFromString(std::string_view name);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_RUN_STATES_H_
