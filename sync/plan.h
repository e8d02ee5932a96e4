// Plan and Action: the planner's output, a plain value. Printing it (plan_printer.h),
// writing it as JSON (plan_json.h) and executing it (executor.h) are separate things.
// Actions never hold a secret: a password, if any, is added by the executor at send time.
#ifndef ROSTERSYNC_SYNC_PLAN_H_
#define ROSTERSYNC_SYNC_PLAN_H_

#include <map>
#include <string>
#include <vector>

#include "sync/ledger.h"
#include "sync/roster.h"
#include "sync/user.h"

namespace rostersync {

// The audit names of docs/contract.md, in the order a person's actions are applied.
enum class ActionType {
  kReactivate,     // PUT /users/{id}/active true (first: the rest needs an active user)
  kCreate,         // POST /users
  kPromote,        // guest -> member (before role: system_admin needs a member)
  kUpdate,         // PUT /users/{id}/patch, changed fields only
  kAuth,           // PUT /users/{id}/auth
  kRole,           // PUT /users/{id}/roles
  kGuest,          // POST /users/{id}/demote
  kVerifyEmail,    // POST /users/{id}/email/verify/member
  kPasswordReset,  // POST /users/password/reset/send
  kDeactivate,     // DELETE /users/{id} (+ revoke personal access tokens)
  // Memberships (membership.*; sync/membership_planner.h), after the account exists; a mover
  // joins the new before leaving the old.
  kJoinTeam,      // POST /teams/{id}/members (batched per team by the executor)
  kJoinChannel,   // POST /channels/{id}/members
  kLeaveChannel,  // DELETE /channels/{id}/members/{user_id}
  kLeaveTeam,     // DELETE /teams/{id}/members/{user_id}
};
constexpr int kActionTypeCount = static_cast<int>(ActionType::kLeaveTeam) + 1;
bool IsMembershipAction(ActionType type);
const char* ActionName(ActionType type);  // "create", "update", ..., "verify_email"

struct FieldChange {
  std::string field;
  std::string from;
  std::string to;
  bool operator==(const FieldChange& o) const {
    return field == o.field && from == o.from && to == o.to;
  }
};

struct Action {
  ActionType type = ActionType::kUpdate;
  std::string key;       // roster key
  std::string user_id;   // empty for create
  std::string username;  // for display: the username after this action
  std::string email;
  std::vector<FieldChange> changes;  // shown in plan and audit; never secrets
  std::string detail;                // e.g. "absent from roster since 2026-11-20"

  NewUser new_user;    // kCreate (password always empty here)
  UserPatch patch;     // kUpdate
  std::string roles;   // kRole: the full new roles string
  std::string auth_service;  // kAuth
  std::string auth_data;     // kAuth (an identifier, not a secret)
  // Membership actions: the team (always) and the channel (channel actions), ids and names.
  std::string team_id;
  std::string team;
  std::string channel_id;
  std::string channel;

  bool held = false;         // shown, counted, not applied unless forced
  std::string held_reason;

  bool operator==(const Action& o) const;
};

// A guard that held actions back: one "! held" line of the plan.
struct Hold {
  std::string guard;    // "max_deactivations", "untrusted_roster", "suspected_rename", "ambiguous_match"
  int count = 0;        // actions held by it
  std::string message;  // "13 deactivations (26% of managed users) exceed policy.max_deactivations=5%"
  bool operator==(const Hold& o) const {
    return guard == o.guard && count == o.count && message == o.message;
  }
};

// Something rostersync may not or could not do itself and a person must: one "! attention"
// line of the plan, exit 4, the rostersync_attention_items metric. Repeats every cycle until
// resolved (it is recomputed from the roster and the server, never remembered).
struct Attention {
  std::string key;       // roster key
  std::string username;  // the account's username
  std::string message;   // "E042 morgan.reyes is a leaver but holds system_admin: deactivate by hand"
  bool operator==(const Attention& o) const {
    return key == o.key && username == o.username && message == o.message;
  }
};

// An in-scope account that matches no roster row and is in no ledger entry
// (policy.unmatched_accounts).
struct UnmatchedAccount {
  std::string user_id;
  std::string username;
  std::string email;
  std::string auth_service;
  bool operator==(const UnmatchedAccount& o) const {
    return user_id == o.user_id && username == o.username && email == o.email &&
           auth_service == o.auth_service;
  }
};

struct Plan {
  std::vector<Action> actions;        // execution order; held actions included (held=true)
  std::vector<Hold> holds;
  std::vector<std::string> notices;   // report-only findings (policy=report, manual admin, SSO rename)
  std::vector<Attention> attention;   // sorted by key
  std::vector<RowError> rejected;     // the roster's rejected rows (where, key, reason)
  std::vector<UnmatchedAccount> unmatched;  // sorted by username; policy.unmatched_accounts
  // The ledger change to persist with the plan, as a delta against the planner's input
  // ledger: entries that are new or differ (absence bookkeeping, adoptions, one-time reports,
  // the entry of a create), and keys to delete. Entries named in neither are unchanged.
  // Bookkeeping only: what an action sets is recorded by the executor once it succeeds
  // (RecordAppliedAction). MergeLedgerChanges() gives the whole ledger.
  Ledger ledger_after;
  std::vector<std::string> ledger_removed;  // sorted; never also in ledger_after
  int managed_users = 0;              // accounts in the ledger / matched this cycle
  int roster_rows = 0;
  int rejected_rows = 0;
  // Planned from an incremental read (the cycle's own flag, not part of operator==): the
  // JSON's "cycle" member says "incremental" rather than "full".
  bool incremental = false;

  int CountActive() const;  // actions that are not held
  int CountHeld() const;
  bool HasChanges() const { return CountActive() > 0; }
  bool operator==(const Plan& o) const;
};

// The provenance a successfully applied action leaves in the ledger: set_values field ->
// value (sync/ledger.h lists the fields). The one definition the executor records and the
// planner reads back. create -> username email (lower-cased, as the server stores them)
// first_name last_name nickname position locale auth_service auth_data roles active
// [email_verified]; update -> each patched field, and an email change sets email_verified
// "false" (the server clears it); auth -> auth_service auth_data; role/guest/promote -> roles;
// verify_email -> email_verified "true"; password_reset -> password_reset_sent "true";
// deactivate/reactivate -> active "false"/"true"; join_team -> "member:team:<id>" = the team's
// name, join_channel -> "member:channel:<id>" = "team/channel"; leave_team / leave_channel ->
// "false". Any value but "" and "false": rostersync added that membership and may remove it
// under policy.membership sync.
std::map<std::string, std::string> ActionSetValues(const Action& action);

// `ledger` (the planner's input) with plan.ledger_after and plan.ledger_removed applied: the
// ledger as the plan leaves it before any action's effect.
void MergeLedgerChanges(const Plan& plan, Ledger* ledger);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_PLAN_H_
