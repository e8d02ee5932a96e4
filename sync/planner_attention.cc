// Planner, part 6: what a person must do by hand, and accounts no one claims. A leaver whose
// account rostersync may not touch (a system admin, a protected user, another auth service)
// is an attention item, every cycle until it is resolved; policy.unmatched_accounts decides
// about in-scope accounts that match no roster row and no ledger entry.
#include <algorithm>
#include <deque>
#include <unordered_map>

#include "sync/planner_internal.h"

namespace rostersync {
namespace planner_internal {

namespace {

// Why rostersync may not deactivate `user`, as the end of "E042 x is a leaver but ...".
std::string LeaverWhy(const User& user, const std::string& self_id,
                      const ScopeOptions& scope, bool service_in_scope) {
  if (!self_id.empty() && user.id == self_id) return "is the token's own user";
  if (user.is_bot) return "is a bot account";
  for (const std::string& name : scope.protected_users) {
    if (EqualsIgnoreCase(name, user.username)) return "is a protected user (scope.protected_users)";
  }
  if (!service_in_scope) {
    return "signs in with " + std::string(ServiceOf(user.auth_service)) +
           ", outside scope.auth_services";
  }
  return "holds system_admin";
}

}  // namespace

void PlanBuilder::LeaverAttention(const std::string& key, const User& user) {
  if (opt_.policy.deactivate == DeactivateMode::kOff || !user.active() ||
      !user.remote_id.empty() || OutOfScopeReason(user).empty()) {
    return;
  }
  std::string why = LeaverWhy(user, in_.self_user_id, opt_.scope, InScopeService(user.auth_service));
  attention_.push_back(Attention{
      key, user.username, key + " " + user.username + " is a leaver but " + why +
                              ": deactivate by hand"});
}

void PlanBuilder::FindLeaverAttention() {
  for (const Ledger::value_type* absent : absent_) {
    const std::string& key = absent->first;
    if (only_key_ != nullptr && key != *only_key_) continue;
    const User* user = FindUser(absent->second.user_id);
    if (user == nullptr) continue;
    // Named in a rejected row: not known to have left.
    if (roster_.rejected_keys.count(key) > 0 || roster_.rejected_emails.count(Lower(user->email)) ||
        roster_.rejected_usernames.count(Lower(user->username))) {
      continue;
    }
    LeaverAttention(key, *user);
  }
  for (size_t i = 0; i < rows_.size(); ++i) {
    const Identity& id = identities_[i];
    if (id.user == nullptr || (only_key_ != nullptr && rows_[i]->key != *only_key_)) continue;
    if (id.kind != Identity::Kind::kKnown && id.kind != Identity::Kind::kLeftAlone) continue;
    std::string why;
    if (!DesiredActive(*rows_[i], &why)) LeaverAttention(rows_[i]->key, *id.user);
  }
}

void PlanBuilder::FailedDeactivationAttention() {
  for (const Action& action : actions_) {
    if (action.type != ActionType::kDeactivate || action.held) continue;
    auto entry = ledger_.find(action.key);
    if (entry == ledger_.end()) continue;
    auto failed = entry->second.set_values.find(kDeactivateFailed);
    if (failed == entry->second.set_values.end()) continue;
    attention_.push_back(Attention{
        action.key, action.username,
        action.key + " " + action.username + " is a leaver but could not be deactivated (" + failed->second + "); retried every cycle: fix the cause or deactivate by hand"});
  }
}

void PlanBuilder::ForgetFailedDeactivation(const RosterEntry& row, EntryDraft* draft) const {
  if (!draft->exists() || draft->get().set_values.count(kDeactivateFailed) == 0) return;
  std::string why;
  if (DesiredActive(row, &why)) draft->edit()->set_values.erase(kDeactivateFailed);
}

void PlanBuilder::FindUnmatched() {
  if (opt_.policy.unmatched_accounts == UnmatchedMode::kLeave || users_.empty()) return;
  // Claimed: held by a ledger entry, resolved to a row, or named (email or username) by a
  // roster row, accepted or rejected. Most accounts are claimed by id, without a string op.
  std::vector<char> claimed(users_.size(), 0);
  auto mark = [&](const User* user) {
    if (user != nullptr) claimed[static_cast<size_t>(user - users_.data())] = 1;
  };
  // The ledger: a roster key's entry resolved into its identity; the rest are absent_.
  for (const Identity& id : identities_) mark(id.user);
  for (const Ledger::value_type* absent : absent_) mark(FindUser(absent->second.user_id));
  std::vector<const User*> candidates;
  for (const User& user : users_) {
    if (claimed[static_cast<size_t>(&user - users_.data())] || !user.active()) continue;
    if (OutOfScopeReason(user).empty()) candidates.push_back(&user);
  }
  if (candidates.empty()) return;
  std::deque<std::string> lowered;
  std::unordered_map<std::string_view, const User*> by_name;  // emails and usernames
  for (const User* user : candidates) {
    for (const std::string* name : {&user->email, &user->username}) {
      if (name->empty()) continue;
      lowered.push_back(Lower(*name));
      by_name.emplace(lowered.back(), user);
    }
  }
  auto named = [&](const std::string& value) {
    if (value.empty()) return;
    std::string folded;
    std::string_view probe = value;
    if (!IsLower(probe)) probe = folded = Lower(probe);
    auto it = by_name.find(probe);
    if (it != by_name.end()) mark(it->second);
  };
  for (const RosterEntry* row : rows_) {
    named(row->email);
    named(row->username);
  }
  for (const std::string& email : roster_.rejected_emails) named(email);
  for (const std::string& username : roster_.rejected_usernames) named(username);
  for (const User* user : candidates) {
    if (claimed[static_cast<size_t>(user - users_.data())]) continue;
    unmatched_.push_back(
        UnmatchedAccount{user->id, user->username, user->email, user->auth_service});
  }
  std::sort(unmatched_.begin(), unmatched_.end(),
            [](const UnmatchedAccount& a, const UnmatchedAccount& b) {
              return a.username < b.username;
            });
  if (opt_.policy.unmatched_accounts == UnmatchedMode::kDeactivate) DeactivateUnmatched();
}

void PlanBuilder::DeactivateUnmatched() {
  // A row with the same full name may be the same person under a new email: that
  // deactivation is held as a suspected rename, like a leaving key's (every row, not only
  // new ones: once the new account exists, the old one must stay held).
  std::unordered_map<std::string, const std::string*> new_names;  // full name -> row key
  for (size_t i = 0; i < rows_.size(); ++i) {
    std::string name = FullName(rows_[i]->first_name, rows_[i]->last_name);
    if (!name.empty()) new_names.emplace(name, &rows_[i]->key);
  }
  for (const UnmatchedAccount& account : unmatched_) {
    const User* user = FindUser(account.user_id);
    // The key names the account, not a roster person: "unmatched:<user id>".
    std::string key = "unmatched:" + account.user_id;
    Add(ActionType::kDeactivate, key, user).detail =
        "matches no roster row and no ledger entry (policy.unmatched_accounts=deactivate)";
    auto same = new_names.find(FullName(user->first_name, user->last_name));
    if (same != new_names.end()) {
      rename_leavers_.insert(key);
      rename_pairs_.push_back(user->username + " -> " + *same->second + " (same full name)");
    }
  }
  // They are managed now: the base of max_deactivations' percentage includes them.
  managed_ += static_cast<int>(unmatched_.size());
}

void PlanBuilder::FinishPlan(Plan* plan) {
  std::stable_sort(attention_.begin(), attention_.end(),
                   [](const Attention& a, const Attention& b) { return a.key < b.key; });
  plan->attention = std::move(attention_);
  plan->unmatched = std::move(unmatched_);
  for (const RowError& error : roster_.rejected) {
    if (only_key_ == nullptr || error.key == *only_key_) plan->rejected.push_back(error);
  }
}

}  // namespace planner_internal
}  // namespace rostersync
