// Internal to the planner (planner*.cc): the PlanBuilder that MakePlan runs once per call.
// Not part of the public API; include sync/planner.h instead. Not thread-safe (one per call).
#ifndef ROSTERSYNC_SYNC_PLANNER_INTERNAL_H_
#define ROSTERSYNC_SYNC_PLANNER_INTERNAL_H_

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sync/planner.h"

namespace rostersync {
namespace planner_internal {

std::string Lower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool HasWord(const std::string& words, std::string_view word);  // "a b c" has "b"
std::string FullName(const std::string& first, const std::string& last);  // lowercased, "" if none

// Guard names (Hold::guard and the prefix of Action::held_reason).
inline constexpr const char* kGuardAmbiguous = "ambiguous_match";
inline constexpr const char* kGuardRename = "suspected_rename";
inline constexpr const char* kGuardUntrusted = "untrusted_roster";
inline constexpr const char* kGuardMaxDeactivations = "max_deactivations";

struct KeyedNotice {
  std::string key;
  std::string text;
};

// How a roster row resolved to an account.
struct Identity {
  enum class Kind { kKnown, kAdopt, kCreate, kAmbiguous, kLeftAlone };
  Kind kind = Kind::kCreate;
  const User* user = nullptr;  // kKnown, kAdopt; the protected account for kLeftAlone
  const LedgerEntry* known = nullptr;  // the row's ledger entry, if any
  std::string why;             // kAmbiguous: the explanation
  bool suspected_rename = false;
  std::string rename_partner;  // the leaving key
};

class PlanBuilder {
 public:
  PlanBuilder(const PlannerInput& input, const PlannerOptions& options);
  Plan Build(const std::string* only_key);

  // planner_identity.cc
  std::string OutOfScopeReason(const User& user) const;  // "" when in scope
  bool Mapped(const char* field) const;

 private:
  // planner_identity.cc
  void IndexUsers();
  void EnsureClaimed();  // builds claimed_ on first need (only unknown rows need it)
  bool InRoster(const std::string& key) const;  // binary search over rows_
  const std::unordered_map<std::string_view, const User*>& ByEmail();
  const std::unordered_map<std::string_view, const User*>& ByUsername();
  void ResolveIdentities();
  std::vector<const User*> MatchCandidates(const RosterEntry& row);
  const User* FindUser(std::string_view id) const;

  // planner_person.cc
  // `after` starts as the old ledger entry (or empty) and ends as the one to persist.
  void PlanRow(const RosterEntry& row, const Identity& identity,
               std::optional<LedgerEntry>* after);
  void PlanAbsent(const LedgerEntry& old, std::optional<LedgerEntry>* after);
  void PlanCreate(const RosterEntry& row, const Identity& identity,
                  std::optional<LedgerEntry>* after);
  void PlanAccount(const RosterEntry& row, const User& user, LedgerEntry* entry,
                   bool desired_active, const std::string& inactive_why);
  void PlanUpdate(const RosterEntry& row, const User& user, LedgerEntry* entry);
  void PlanRoles(const RosterEntry& row, const User& user, const LedgerEntry& entry);
  bool PlanAuth(const RosterEntry& row, const User& user, LedgerEntry* entry);
  void PlanDeactivate(const std::string& key, const User& user, const std::string& detail);
  bool DesiredActive(const RosterEntry& row, std::string* why) const;

  // planner_guards.cc
  void DetectRenames();
  void ApplyGuards();
  void Hold(Action* action, const char* guard, const std::string& why);

  Action& Add(ActionType type, const std::string& key, const User* user);
  void Notice(const std::string& key, std::string text);

  const PlannerInput& in_;
  const PlannerOptions& opt_;
  const Roster empty_roster_{};
  const std::vector<User> empty_users_{};
  const Ledger empty_ledger_{};
  const Roster& roster_;
  const std::vector<User>& users_;
  const Ledger& ledger_;
  std::string today_;

  std::unordered_map<std::string_view, const User*> by_id_;
  // Lower-cased email / username -> account, built on first need. Keys view the users' own
  // strings when already lower-case (the usual case), else lowered_ (stable addresses).
  std::unordered_map<std::string_view, const User*> by_email_;
  std::unordered_map<std::string_view, const User*> by_username_;
  bool by_name_built_ = false;
  std::deque<std::string> lowered_;
  std::unordered_set<std::string> in_scope_services_;
  // user id -> ledger key, for ledger entries whose account still exists.
  std::unordered_map<std::string_view, std::string_view> claimed_;
  bool claimed_built_ = false;

  std::vector<const RosterEntry*> rows_;  // sorted by key, duplicates dropped
  std::vector<const Ledger::value_type*> absent_;  // ledger entries whose key is not in rows_
  std::vector<Identity> identities_;      // parallel to rows_
  std::unordered_set<std::string> rename_leavers_;  // absent keys in a suspected rename
  std::vector<std::string> rename_pairs_;           // "E0042 -> E1234 (same email)"

  std::vector<Action> actions_;
  std::vector<rostersync::Hold> holds_;
  std::vector<KeyedNotice> notices_;
  Ledger ledger_after_;
  int managed_ = 0;
};

}  // namespace planner_internal
}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_PLANNER_INTERNAL_H_
