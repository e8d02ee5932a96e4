// Internal to the planner (planner*.cc): the PlanBuilder that MakePlan runs once per call.
// Not part of the public API; include sync/planner.h instead. Not thread-safe (one per call).
#ifndef ROSTERSYNC_SYNC_PLANNER_INTERNAL_H_
#define ROSTERSYNC_SYNC_PLANNER_INTERNAL_H_

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "sync/flat_index.h"
#include "sync/planner.h"
#include "sync/text.h"

namespace rostersync {
namespace planner_internal {

std::string FullName(const std::string& first, const std::string& last);  // lowercased, "" if none
// The auth service as the planner compares it: "email" and "" are both email/password.
inline std::string_view ServiceOf(const std::string& auth_service) {
  return auth_service == std::string_view("email") ? std::string_view() : auth_service;
}
// Held because the server cannot make the account a guest (never released by --force).
inline constexpr const char* kGuardGuests = "guests_unavailable";
// Why guest accounts are unavailable on the server, "" when they are (or it is unknown).
std::string GuestsUnavailable(const PlannerInput& in);

// The profile fields PlanUpdate compares, in UserPatch order.
enum PatchField { kUsername, kEmail, kFirstName, kLastName, kNickname, kPosition, kLocale,
                  kPatchFieldCount };
inline constexpr const char* kPatchFieldNames[kPatchFieldCount] = {
    "username", "email", "first_name", "last_name", "nickname", "position", "locale"};

// Guard names (Hold::guard and the prefix of Action::held_reason).
inline constexpr const char* kGuardAmbiguous = "ambiguous_match";
inline constexpr const char* kGuardRename = "suspected_rename";
inline constexpr const char* kGuardUntrusted = "untrusted_roster";
inline constexpr const char* kGuardMaxDeactivations = "max_deactivations";
inline constexpr const char* kGuardRejectedRow = "rejected_row";
inline constexpr const char* kGuardOutside = "deactivated_outside";
inline constexpr const char* kGuardMassIdentity = "mass_identity_change";
inline constexpr const char* kGuardConflict = "identity_conflict";
// With a percentage budget, mass_identity_change needs at least this many accounts changing.
inline constexpr int kMinMassChanges = 3;

// One person's ledger entry while it is planned. Reads see the input entry until the first
// edit copies it; most people change nothing, so most entries are never copied. The copy
// target is reused from person to person (its nodes and strings are recycled).
class EntryDraft {
 public:
  void Start(const LedgerEntry* old) {
    old_ = old;
    exists_ = old != nullptr;
    edited_ = false;
  }
  bool exists() const { return exists_; }
  bool edited() const { return edited_; }
  const LedgerEntry& get() const { return edited_ ? entry_ : *old_; }  // requires exists()
  LedgerEntry* edit() {  // requires exists()
    if (!edited_) entry_ = *old_;
    edited_ = true;
    return &entry_;
  }
  void Replace(LedgerEntry fresh) {
    entry_ = std::move(fresh);
    exists_ = edited_ = true;
  }
  void Remove() { exists_ = edited_ = false; }
  // Records a one-time report; false when it was made before.
  bool ReportOnce(const char* tag) {
    if (get().reported.count(tag) > 0) return false;
    edit()->reported.insert(tag);
    return true;
  }
  void Forget(const char* tag) {
    if (get().reported.count(tag) > 0) edit()->reported.erase(tag);
  }
  void ClearAbsence() {
    if (get().absent_since_ms == 0 && get().absent_cycles == 0) return;
    edit()->absent_since_ms = 0;
    entry_.absent_cycles = 0;
  }

 private:
  const LedgerEntry* old_ = nullptr;
  LedgerEntry entry_;
  bool exists_ = false;
  bool edited_ = false;
};

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
  const FlatIndex<const User*>& ByEmail();
  const FlatIndex<const User*>& ByUsername();
  void ResolveIdentities();
  void SortRows();                                     // rows_, identities_[].known, absent_
  void MatchRow(const RosterEntry& row, Identity* id);  // a row the ledger does not resolve
  std::vector<const User*> MatchCandidates(const RosterEntry& row);
  // "" when no identifying field conflicts, else "by username, but its email a@x differs
  // from the row's b@y": a match by a later key of match.order is never merged on a conflict.
  std::string MatchConflict(const RosterEntry& row, const User& user) const;
  const User* FindUser(std::string_view id) const;

  // planner.cc
  // Adds the draft to the ledger delta when it differs from `old` (nullptr: no entry before).
  void RecordLedger(const std::string& key, const LedgerEntry* old, const EntryDraft& draft);
  // Plans every row and every absent ledger entry, in key order.
  void PlanPeople();
  // MakePlanForKey: drops the actions, notices and ledger changes of every other key.
  void KeepOnlyKey(const std::string& key);

  // planner_person.cc
  // `entry` starts as the old ledger entry (or none) and ends as the one to persist.
  void PlanRow(const RosterEntry& row, const Identity& identity, EntryDraft* entry);
  void PlanAbsent(const std::string& key, const LedgerEntry& old, EntryDraft* entry);
  void PlanCreate(const RosterEntry& row, const Identity& identity, EntryDraft* entry);
  // PlanCreate's parts: whether the row may be created (a notice when not), the create
  // action, the role it gets after the create, and the mails a password account gets.
  bool CanCreate(const RosterEntry& row, const std::string& service, const std::string& data);
  Action& AddCreate(const RosterEntry& row, const std::string& service, const std::string& data);
  void PlanCreatedRole(const RosterEntry& row, Role role, bool admin_granted);
  void PlanCreatedMail(const RosterEntry& row);
  void PlanAccount(const RosterEntry& row, const User& user, EntryDraft* entry,
                   bool desired_active, const std::string& inactive_why);
  void PlanUpdate(const RosterEntry& row, const User& user, EntryDraft* entry);
  // PlanUpdate's per-field checks; true: the field is left as it is. The identity provider
  // owns it (a one-time notice), or (email, username) another account uses the value; a
  // managed account that keeps it sets *conflict (the update is held) instead.
  bool SsoKeepsField(int field, const User& user, const std::string& key,
                     const std::string& service, const std::string& wanted, EntryDraft* entry);
  bool IdentityFieldTaken(int field, const User& user, const std::string& key,
                          const std::string& wanted, std::string* conflict);
  void PlanRoles(const RosterEntry& row, const User& user);
  // Whether the identity provider owns `field` of `service` accounts on this server
  // (counted for one notice per field); ProviderOwnedNotices adds those notices.
  bool ProviderOwns(const std::string& service, const char* field);
  void ProviderOwnedNotices();
  // The server now shows the email that was pending verification: the ledger takes it.
  void ClearConfirmedEmail(const User& user, EntryDraft* entry);
  bool PlanAuth(const RosterEntry& row, const User& user, EntryDraft* entry);
  void PlanDeactivate(const std::string& key, const User& user, const std::string& detail);
  bool DesiredActive(const RosterEntry& row, std::string* why) const;

  // planner_guards.cc
  void DetectRenames();
  void ApplyGuards();
  // planner.cc: one "! held" line for the actions held by kGuardGuests.
  void AddGuestsHold();
  void Hold(Action* action, const char* guard, const std::string& why);
  // What one releasable guard did: its "! held" line, or the notice under --force.
  struct GuardOutcome {
    const char* guard = "";
    bool applies = false;
    int count = 0;
    std::string message;
    std::string forced;
  };
  GuardOutcome HoldRenames(int* deactivations);  // counts the deactivations not yet held
  GuardOutcome HoldUntrusted();
  GuardOutcome HoldMaxDeactivations(int deactivations);
  // planner_protect.cc: people named in rejected rows, deactivations made outside rostersync
  void ProtectRejected();
  std::string RejectedRowNaming(const Action& action) const;  // "" when none names it
  void HoldOutsideDeactivations();
  // planner_mass.cc: a shifted roster (email/username changes beyond the budget, an email
  // or username another managed account keeps)
  void IndexManaged();  // managed_rows_, on first need
  // Whether the row names another email or username (synced fields) than the account has.
  bool RowRenames(const RosterEntry& row, const User& user) const;
  // Whether `holder`, a managed account, keeps its `field` (kEmail or kUsername) this cycle.
  bool KeptByManaged(const User& holder, int field);
  void AddConflictHold();  // one "! held" line for the updates held by kGuardConflict
  GuardOutcome HoldMassIdentityChange();
  // planner_attention.cc: loud leavers and policy.unmatched_accounts
  void FindLeaverAttention();
  void LeaverAttention(const std::string& key, const User& user);
  void FailedDeactivationAttention();  // after the guards: unheld retries only
  void ForgetFailedDeactivation(const RosterEntry& row, EntryDraft* draft) const;
  void FindUnmatched();
  void DeactivateUnmatched();  // policy.unmatched_accounts=deactivate
  void FinishPlan(Plan* plan);  // moves attention, rejected rows and unmatched into the plan

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
  // Options digested once: per PatchField, whether it is kept in sync (fields.update and
  // mapped); and the mapping of the fields the per-row code asks about.
  bool patchable_[kPatchFieldCount] = {};
  bool mapped_auth_service_ = false;
  bool mapped_auth_data_ = false;
  bool mapped_role_ = false;
  bool mapped_active_ = false;
  bool mapped_start_date_ = false;
  bool mapped_end_date_ = false;

  FlatIndex<const User*> by_id_;
  // Lower-cased email / username -> account, built on first need. Keys view the users' own
  // strings when already lower-case (the usual case), else lowered_ (stable addresses).
  FlatIndex<const User*> by_email_;
  FlatIndex<const User*> by_username_;
  bool by_name_built_ = false;
  std::deque<std::string> lowered_;
  std::vector<std::string> in_scope_services_;  // "" for email; a handful, so a list
  bool InScopeService(std::string_view service) const;  // "email" counts as ""
  // user id -> ledger key, for ledger entries whose account still exists.
  FlatIndex<std::string_view> claimed_;
  bool claimed_built_ = false;

  std::vector<const RosterEntry*> rows_;  // sorted by key, duplicates dropped
  std::vector<const Ledger::value_type*> absent_;  // ledger entries whose key is not in rows_
  std::vector<Identity> identities_;      // parallel to rows_
  std::unordered_set<std::string> rename_leavers_;  // absent keys in a suspected rename
  std::vector<std::string> rename_pairs_;           // "E0042 -> E1234 (same email)"

  // Managed account id -> its row in rows_ (-1: in the ledger, absent from the roster).
  FlatIndex<int> managed_rows_;
  bool managed_built_ = false;
  std::set<std::string> identity_keys_;  // keys whose email or username would change

  std::vector<Action> actions_;
  std::vector<rostersync::Hold> holds_;
  std::vector<KeyedNotice> notices_;
  std::map<std::string, int> provider_owned_;  // "saml first_name" -> accounts not patched
  Ledger ledger_after_;                     // the delta (Plan::ledger_after)
  std::vector<std::string> ledger_removed_;
  EntryDraft draft_;                        // the person being planned
  const std::string* only_key_ = nullptr;   // MakePlanForKey
  std::vector<Attention> attention_;
  std::vector<UnmatchedAccount> unmatched_;
  int managed_ = 0;
};

}  // namespace planner_internal
}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_PLANNER_INTERNAL_H_
