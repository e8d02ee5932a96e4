// Held sets in the daemon: recording what a cycle held back, listing it, and the decisions
// about it (`rostersync held|approve|reject`, GET /v1/held, POST /v1/held/{id}/approve|reject).
// An approval re-plans and applies exactly the approved held actions if the current plan still
// holds them unchanged (sync/held_set.h); anything else is refused with the difference.
#ifndef ROSTERSYNC_DAEMON_HELD_SETS_H_
#define ROSTERSYNC_DAEMON_HELD_SETS_H_

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "daemon/cycle.h"
#include "sync/audit_sink.h"
#include "sync/state_store.h"

namespace rostersync::daemon {

// docs/contract.md: an approval or rejection was refused (unknown held id, already decided,
// or the plan no longer holds the approved actions unchanged); nothing was applied.
constexpr int kExitRefused = 5;

// The approver of a decision made from the CLI (the OS user) and through the admin token.
std::string CliApprover();
constexpr char kAdminTokenApprover[] = "admin-token";
// The audit user_id of a decision that no Mattermost account made: "cli" (a local
// `rostersync approve|reject`, username = the OS user) and "admin-token" (the admin
// endpoint, username = "admin-token"). A button click's is the clicking user's id.
constexpr char kCliApproverId[] = "cli";
constexpr char kAdminTokenApproverId[] = "admin-token";

// Records the plan's held set as waiting when its id is new; an id already stored (waiting or
// decided) is left as it is. Returns the stored record (held_id "" when nothing is held).
Result<HeldSetRecord> RecordHeldSet(StateStore& store, const Plan& plan,
                                    const std::string& run_id, int64_t now_ms);

// "E1,E2" (from --only, repeated --only joined by ',', or ?only=) -> {"E1", "E2"}.
std::set<std::string> ParseOnlyKeys(const std::string& list);

struct HeldDecision {
  std::string held_id;
  bool approve = true;                // false: reject
  std::set<std::string> only_keys;    // approve --only: these roster keys only
  std::string approver;               // who decided (never a secret)
  // approvals.second_approver_above: a set with more deactivations than this needs two
  // different approvers (the first approval is recorded as "pending"); 0 = one is enough.
  int second_approver_above = 0;
  // Audited as user_id: the clicking Mattermost user's id, kCliApproverId or
  // kAdminTokenApproverId (never empty in the audit: "" is audited as "unknown").
  std::string approver_id;
};

struct DecisionOutcome {
  int exit_code = 0;     // 0 done, 3 some released actions failed, 5 refused, 1 error
  std::string message;   // one paragraph for the CLI / the JSON answer
  int released = 0;      // held actions released into the apply
  int applied = 0;       // of those, applied successfully
  bool pending = false;  // a first approval recorded; a second approver is needed
  bool cycle_ran = false;
  CycleResult cycle;     // when cycle_ran
};

// Runs `run_cycle` (an apply cycle) for an approval; a rejection runs no cycle. Records the
// decision on the held set and one audit record ("approve" / "reject", key = "held:<id>",
// user_id = the approver's id, username = the approver) in the store and `audit` (may be
// null).
using CycleFn = std::function<CycleResult(const CycleRequest&)>;
DecisionOutcome DecideHeldSet(StateStore& store, AuditSink* audit, const HeldDecision& decision,
                              int64_t now_ms, const CycleFn& run_cycle);

// The answer of POST /v1/held/{id}/approve|reject and of `approve|reject --json`:
// {held_id, decision (approved|pending|rejected), exit_code, released, applied, message}.
std::string DecisionToJson(const std::string& held_id, bool approve, const DecisionOutcome& out);

// JSON for `held --json` and GET /v1/held: {"held":[{held_id, created, run_id, summary,
// actions:[{action,key,username,target,changes}], decision, approvers, decided, detail}]}.
std::string HeldSetsToJson(const std::vector<HeldSetRecord>& sets);
// The table `rostersync held` prints (strings escaped).
std::string HeldSetsToText(const std::vector<HeldSetRecord>& sets);

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_HELD_SETS_H_
