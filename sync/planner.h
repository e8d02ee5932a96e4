// The planner: a pure function from (roster, server users, identity ledger, options) to a Plan.
// No I/O, no clock (now_ms is an input), deterministic: the same input gives the same plan,
// actions ordered by roster key, then by ActionType. Thread-safe (no shared state).
//
// Start reading here. Decisions the planner makes, beyond docs/contract.md:
// - An empty roster cell means "don't manage this field for this row": it is never compared
//   and never sent (so an empty nickname never blanks one set by hand).
// - PlannerOptions::mapped_fields empty means "every field is mapped" (tests, simple configs).
//   "role" unmapped: roles and guests are never planned. "active" unmapped: an account that
//   was deactivated outside rostersync is not reactivated (notice instead).
// - Grace: an absent key is deactivated once it has been absent for MORE than
//   policy.deactivate_after_cycles consecutive cycles (0 = at the first absent cycle) and, if
//   deactivate_after_ms > 0, for at least that long since absent_since_ms.
// - start_date in the future: no create, no reactivation (notice "starts 2026-12-01").
//   end_date reached (end_date <= UtcDate(now_ms)): the person is deactivated.
// - Onboarding (verify_email, password_reset) only for email-login accounts (auth_service "").
//   verify_email is planned while the ledger has no email_verified="true" (and again after an
//   email change); password_reset is planned only together with the create.
// - Server capabilities (input.capabilities): where guests are unavailable, a guest row's
//   create, a member's demote and a guest's reactivation are held ("guests_unavailable",
//   never released by --force); provider-owned fields of ldap/saml accounts are never
//   patched (one notice per field); with RequireEmailVerification an email change plans no
//   verify_email. Without capabilities, guests are assumed available (as before).
// - The ledger's email_pending (an email awaiting the person's verification) is not patched
//   again and clears when the server shows it; a value the server stores in its own form
//   (ledger requested:<field>) is not sent again.
// - Provider-controlled fields of SSO accounts (username: any SSO; email: ldap and OAuth;
//   first/last name: OAuth) are not patched; each kind is reported once (ledger "reported").
// - Roles: system_admin is granted or removed only with scope.manage_system_admins and
//   policy.roles. Roles other than system_user/system_admin/system_guest are kept as they are.
// - Guards: ambiguous_match, rejected_row and identity_conflict (never released),
//   deactivated_outside, mass_identity_change, suspected_rename, untrusted_roster and
//   max_deactivations (released by options.force). identity_conflict: an email or username
//   another managed account keeps this cycle (the update is held, not trimmed).
//   mass_identity_change: more managed accounts changing email/username than the
//   policy.max_deactivations budget (a percentage needs at least 3) holds those people's
//   actions and every (re)activation: a fill-down slip gives keys their neighbours' values.
//   Held actions stay in plan.actions with held=true and held_reason "<guard>: <why>".
//   rejected_row: a person whose key, email or username is in a rejected row is not
//   deactivated, renamed, re-keyed (created under another key) or re-authenticated.
//   untrusted_roster: only creates go ahead. A match by a later key of match.order whose earlier
//   key conflicts (same username, another email) is ambiguous, never adopted. Users with a
//   remote_id are never matched: a row naming one is left alone (a notice), never created.
// - Attention (plan.attention): a leaver whose account is out of scope (system admin,
//   protected, another auth service), and a managed account (in the ledger, created or
//   adopted) deactivated outside rostersync: the ledger does not record rostersync's own
//   deactivation (set_values active "false"), so it is not reactivated without options.force.
// - policy.unmatched_accounts: in-scope active accounts that no row names and no ledger entry
//   holds are listed (report) or deactivated under the key "unmatched:<user id>" (deactivate;
//   then they count as managed for max_deactivations). Full plans only.
#ifndef ROSTERSYNC_SYNC_PLANNER_H_
#define ROSTERSYNC_SYNC_PLANNER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sync/ledger.h"
#include "sync/options.h"
#include "sync/plan.h"
#include "sync/roster.h"
#include "sync/server_capabilities.h"
#include "sync/user.h"

namespace rostersync {

struct PlannerInput {
  const Roster* roster = nullptr;            // mapped + gated roster (sync/roster.h)
  const std::vector<User>* users = nullptr;  // every server user, active and inactive
  const Ledger* ledger = nullptr;            // identity ledger (sync/ledger.h)
  std::string self_user_id;                  // the token's own user: always protected
  int64_t now_ms = 0;                        // for grace periods and effective dates
  // What the server allows (read at the start of the cycle); null or !known: plan as if
  // everything were allowed (tests, older callers).
  const ServerCapabilities* capabilities = nullptr;
};

// Pure: no I/O, deterministic (same input -> same plan, actions in a stable order).
// Null roster/users/ledger pointers are treated as empty. Never fails: problems become
// notices or held actions.
Plan MakePlan(const PlannerInput& input, const PlannerOptions& options);

// Restricts to one roster key (sync-user KEY): the plan for that person only, guards still
// apply. The ledger delta (plan.ledger_after / ledger_removed) names that key at most.
Plan MakePlanForKey(const PlannerInput& input, const PlannerOptions& options,
                    const std::string& key);

// What applying `action` successfully means for the ledger: stores ActionSetValues(action)
// (sync/plan.h) in entry->set_values, sets entry->user_id to user_id when it is not empty
// (the created user's id) and entry->key when unset. The executor calls it after each
// applied action (and after resolving a crashed one); tests that simulate a server use it.
void RecordAppliedAction(const Action& action, const std::string& user_id, LedgerEntry* entry);

// "system_user system_admin" with any extra roles of `current` kept, for the wanted role
// (kGuest gives "system_guest" + extras). Exposed for the executor and tests.
std::string RolesFor(Role role, const std::string& current);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_PLANNER_H_
