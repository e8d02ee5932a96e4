// The membership planner: team and channel memberships from the roster (config
// `membership`, `policy.membership`). Pure like the account planner: from the roster, the
// resolved teams/channels, the current memberships read for the people involved and the
// ledger, it appends join/leave actions, holds, attention items and notices to a Plan.
//
// Rules it keeps:
// - Only active roster people with an account (or whose account the plan creates) get
//   memberships; a leaver's memberships are left as the server leaves them.
// - A channel rule implies its team. Joins come before leaves (a mover joins the new first).
// - policy.membership sync removes only memberships the ledger says rostersync added
//   ("member:team:<id>" / "member:channel:<id>", IsAddedValue) and only of teams and channels
//   the config names (a channel a template no longer produces is found by the name the ledger
//   recorded); never town-square; a channel of a team being left is not left
//   separately (the server removes it with the team).
// - More removals than max_removals (a count or % of the memberships rostersync added) are
//   held under the guard "max_membership_removals" (released by force).
// - A missing, archived or group-constrained team or channel is an attention item.
#ifndef ROSTERSYNC_SYNC_MEMBERSHIP_PLANNER_H_
#define ROSTERSYNC_SYNC_MEMBERSHIP_PLANNER_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sync/ledger.h"
#include "sync/membership_api.h"
#include "sync/options.h"
#include "sync/plan.h"
#include "sync/roster.h"
#include "sync/user.h"

namespace rostersync {

// One membership.teams or membership.channels entry.
struct MembershipRule {
  std::string team;                        // team name
  std::string channel;                     // channel name template ("office-{location}"); "" = team rule
  std::string when_column;                 // "" = every active person
  std::optional<std::string> when_equals;  // absent: the column is not empty
  bool operator==(const MembershipRule& o) const {
    return team == o.team && channel == o.channel && when_column == o.when_column &&
           when_equals == o.when_equals;
  }
};

enum class MembershipMode { kAdd, kSync, kReport };

struct MembershipOptions {
  std::vector<MembershipRule> rules;  // empty: membership is off
  MembershipMode mode = MembershipMode::kAdd;
  Threshold max_removals;  // default 5%
  bool force = false;      // releases the max_membership_removals guard
};

// A ledger "member:..." value that says rostersync added the membership (sync/plan.h).
bool IsAddedValue(const std::string& value);

// The roster columns the rules read (when columns and template placeholders).
std::vector<std::string> MembershipColumns(const std::vector<MembershipRule>& rules);

// The (team, channel) names a roster entry belongs in; channel "" is the team itself.
// Templates take the entry's attributes, lower-cased, spaces as '-'; a placeholder whose
// column is empty drops that channel. Sorted, no duplicates; every channel's team included.
std::vector<std::pair<std::string, std::string>> DesiredMemberships(
    const std::vector<MembershipRule>& rules, const RosterEntry& entry);

// A team or channel named by the rules, resolved once per cycle.
struct MembershipTarget {
  enum class State { kOk, kMissing, kArchived, kGroupConstrained };
  std::string team;     // name
  std::string channel;  // name; "" for the team itself
  std::string id;       // the team's or channel's id (kOk, kArchived, kGroupConstrained)
  std::string team_id;
  State state = State::kMissing;
};

// A person the planner may give memberships: an active roster entry with an account.
struct MembershipPerson {
  const RosterEntry* entry = nullptr;
  std::string user_id;  // "" when the plan creates the account this cycle
  std::string username;
};

struct MembershipInput {
  std::vector<MembershipPerson> people;
  std::vector<MembershipTarget> targets;
  // target id -> the current members among the user ids read (people involved only).
  std::map<std::string, std::set<std::string>> members;
  const Ledger* ledger = nullptr;  // the planner's input ledger (what rostersync added)
};

// The people of `roster` that get memberships: active entries, not deactivated by `plan`,
// whose account is in `ledger` (merged with the plan's delta) and active on the server or
// reactivated by the plan, or whose account the plan creates.
std::vector<MembershipPerson> MembershipPeople(const Roster& roster, const std::vector<User>& users,
                                               const Ledger& ledger, const Plan& plan);

// Pure: appends the membership actions (after the account actions), holds, attention items
// and notices to `plan`.
void PlanMemberships(const MembershipInput& input, const MembershipOptions& options, Plan* plan);

// The I/O around PlanMemberships: resolves the rules' names (one lookup per team and
// channel), reads the memberships of the people involved (POST .../members/ids), then plans.
// A failed read becomes an attention item (memberships are not planned that cycle); it never
// fails the cycle.
void AddMembershipPlan(MembershipApi& api, const MembershipOptions& options, const Roster& roster,
                       const std::vector<User>& users, const Ledger& ledger, Plan* plan);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_MEMBERSHIP_PLANNER_H_
