// Planner, part 1: indexes (by id, lower-cased email and username), scope, and identity:
// which account a roster row is (ledger, then adoption by match.order, never a guess).
#include <algorithm>
#include <unordered_map>

#include "sync/planner_internal.h"

namespace rostersync {
namespace planner_internal {

std::string FullName(const std::string& first, const std::string& last) {
  if (first.empty() && last.empty()) return "";
  return Lower(first) + " " + Lower(last);
}

PlanBuilder::PlanBuilder(const PlannerInput& input, const PlannerOptions& options)
    : in_(input),
      opt_(options),
      roster_(input.roster ? *input.roster : empty_roster_),
      users_(input.users ? *input.users : empty_users_),
      ledger_(input.ledger ? *input.ledger : empty_ledger_) {
  for (int field = 0; field < kPatchFieldCount; ++field) {
    const char* name = kPatchFieldNames[field];
    patchable_[field] = opt_.update_fields.count(name) > 0 && Mapped(name);
  }
  mapped_auth_service_ = Mapped("auth_service");
  mapped_auth_data_ = Mapped("auth_data");
  mapped_role_ = Mapped("role");
  mapped_active_ = Mapped("active");
  mapped_start_date_ = Mapped("start_date");
  mapped_end_date_ = Mapped("end_date");
}

bool PlanBuilder::Mapped(const char* field) const {
  return opt_.mapped_fields.empty() || opt_.mapped_fields.count(field) > 0;
}

const User* PlanBuilder::FindUser(std::string_view id) const {
  if (id.empty()) return nullptr;
  const User* const* user = by_id_.Find(id);
  return user == nullptr ? nullptr : *user;
}

std::string PlanBuilder::OutOfScopeReason(const User& user) const {
  if (!in_.self_user_id.empty() && user.id == in_.self_user_id) {
    return "the token's own user " + user.username;
  }
  if (!user.remote_id.empty()) return "shared-channel user " + user.username + " (remote)";
  if (user.is_bot) return "bot " + user.username;
  for (const std::string& name : opt_.scope.protected_users) {
    if (EqualsIgnoreCase(name, user.username)) return "protected user " + user.username;
  }
  if (!InScopeService(user.auth_service)) {
    std::string_view service = ServiceOf(user.auth_service);
    return (service.empty() ? std::string("email") : std::string(service)) + " user " +
           user.username + " (auth service not in scope.auth_services)";
  }
  if (!opt_.scope.manage_system_admins && HasWord(user.roles, "system_admin")) {
    return "system admin " + user.username + " (scope.manage_system_admins=false)";
  }
  return "";
}

bool PlanBuilder::InScopeService(std::string_view service) const {
  if (service == "email") service = {};
  for (const std::string& in_scope : in_scope_services_) {
    if (in_scope == service) return true;
  }
  return false;
}

void PlanBuilder::IndexUsers() {
  by_id_.Reserve(users_.size());
  for (const User& user : users_) by_id_.Emplace(user.id, &user);
  for (const std::string& service : opt_.scope.auth_services) {
    in_scope_services_.emplace_back(ServiceOf(service));
  }
}

const FlatIndex<const User*>& PlanBuilder::ByEmail() {
  if (!by_name_built_) {
    by_name_built_ = true;
    by_email_.Reserve(users_.size());
    by_username_.Reserve(users_.size());
    auto view = [this](const std::string& s) -> std::string_view {
      if (IsLower(s)) return s;
      lowered_.push_back(Lower(s));
      return lowered_.back();
    };
    // Shared-channel users are indexed too: a row that names one is left alone (MatchRow),
    // never created over it (the server keeps usernames and emails unique across both).
    for (const User& user : users_) {
      if (!user.email.empty()) by_email_.Emplace(view(user.email), &user);
      if (!user.username.empty()) by_username_.Emplace(view(user.username), &user);
    }
  }
  return by_email_;
}

const FlatIndex<const User*>& PlanBuilder::ByUsername() {
  ByEmail();
  return by_username_;
}

void PlanBuilder::EnsureClaimed() {
  if (claimed_built_) return;
  claimed_built_ = true;
  claimed_.Reserve(ledger_.size());
  for (const auto& [key, entry] : ledger_) {
    if (FindUser(entry.user_id) == nullptr) continue;
    auto [owner, inserted] = claimed_.Emplace(entry.user_id, key);
    if (!inserted) {
      std::string holder(*owner);
      Notice(key, key + ": the ledger maps it to account " + entry.user_id + ", which key " +
                      holder + " already holds; fix the ledger (only " + holder +
                      " manages it)");
    }
  }
}

bool PlanBuilder::InRoster(const std::string& key) const {
  auto it = std::lower_bound(rows_.begin(), rows_.end(), key,
                             [](const RosterEntry* r, const std::string& k) { return r->key < k; });
  return it != rows_.end() && (*it)->key == key;
}

std::vector<const User*> PlanBuilder::MatchCandidates(const RosterEntry& row) {
  std::vector<const User*> found;
  for (const std::string& how : opt_.match.order) {
    const FlatIndex<const User*>* index = nullptr;
    const std::string* value = nullptr;
    if (how == "email") {
      index = &ByEmail();
      value = &row.email;
    } else if (how == "username") {
      index = &ByUsername();
      value = &row.username;
    }
    if (index == nullptr || value->empty()) continue;
    std::string lowered;
    std::string_view probe = *value;
    if (!IsLower(probe)) probe = lowered = Lower(probe);
    const User* const* match = index->Find(probe);
    if (match == nullptr) continue;
    if (std::find(found.begin(), found.end(), *match) == found.end()) found.push_back(*match);
  }
  return found;
}

namespace {

const std::string* MatchField(const std::string& how, const RosterEntry& row, const User& user,
                              const std::string** have) {
  if (how == "email") {
    *have = &user.email;
    return &row.email;
  }
  if (how == "username") {
    *have = &user.username;
    return &row.username;
  }
  return nullptr;
}

}  // namespace

std::string PlanBuilder::MatchConflict(const RosterEntry& row, const User& user) const {
  // The first match key (in match.order) that matched; every key before it did not match,
  // and one that has a value on both sides is a conflict: "by username, but its email ...".
  std::string conflict;
  for (const std::string& how : opt_.match.order) {
    const std::string* have = nullptr;
    const std::string* want = MatchField(how, row, user, &have);
    if (want == nullptr || want->empty()) continue;
    if (EqualsIgnoreCase(*want, *have)) {
      return conflict.empty() ? "" : "by " + how + ", but " + conflict;
    }
    if (conflict.empty() && !have->empty()) {
      conflict = "its " + how + " " + *have + " differs from the row's " + *want;
    }
  }
  return "";
}

// Rows sorted by key (duplicates dropped), merge-joined with the sorted ledger: each row's
// ledger entry, and the ledger entries whose key is not in the roster (absent_).
void PlanBuilder::SortRows() {
  rows_.reserve(roster_.entries.size());
  for (const RosterEntry& row : roster_.entries) rows_.push_back(&row);
  auto by_key = [](const RosterEntry* a, const RosterEntry* b) { return a->key < b->key; };
  if (!std::is_sorted(rows_.begin(), rows_.end(), by_key)) {
    std::stable_sort(rows_.begin(), rows_.end(), by_key);  // stable: roster order breaks ties
  }
  // Duplicate keys: the first row (in roster order) wins; the roster layer should reject them.
  std::vector<const RosterEntry*> unique;
  unique.reserve(rows_.size());
  for (const RosterEntry* row : rows_) {
    if (!unique.empty() && unique.back()->key == row->key) {
      Notice(row->key, row->key + ": duplicate roster key at " + row->where + "; row ignored");
      continue;
    }
    unique.push_back(row);
  }
  rows_.swap(unique);

  // Merge-join the sorted rows with the (sorted) ledger: O(n), no lookups.
  identities_.resize(rows_.size());
  auto lit = ledger_.begin();
  for (size_t i = 0; i < rows_.size(); ++i) {
    while (lit != ledger_.end() && lit->first < rows_[i]->key) absent_.push_back(&*lit++);
    if (lit != ledger_.end() && lit->first == rows_[i]->key) identities_[i].known = &(lit++)->second;
  }
  while (lit != ledger_.end()) absent_.push_back(&*lit++);
}

namespace {

// The notice for a row whose username or email a shared-channel user holds: never matched,
// adopted or created over (the create would answer 400 every cycle).
std::string RemoteCollision(const RosterEntry& row, const User& remote) {
  const bool by_username =
      !row.username.empty() && EqualsIgnoreCase(row.username, remote.username);
  return row.key + ": its " + (by_username ? "username " + row.username : "email " + row.email) +
         " belongs to shared-channel user " + remote.username +
         " (remote_id set: an account of another server); not created, matched or adopted; "
         "left alone (change the row's " + (by_username ? "username" : "email") + ")";
}

}  // namespace

// A row the ledger does not resolve: which existing account (if any) it is, never a guess.
void PlanBuilder::MatchRow(const RosterEntry& row, Identity* id) {
  std::vector<const User*> candidates = MatchCandidates(row);
  if (candidates.empty()) {
    id->kind = Identity::Kind::kCreate;
    return;
  }
  for (const User* candidate : candidates) {
    if (!OutOfScopeReason(*candidate).empty()) {
      id->kind = Identity::Kind::kLeftAlone;
      id->user = candidate;
      if (!candidate->remote_id.empty()) id->why = RemoteCollision(row, *candidate);
      return;
    }
  }
  if (candidates.size() > 1) {
    id->kind = Identity::Kind::kAmbiguous;
    id->why = row.key + " matches " + std::to_string(candidates.size()) + " accounts (" +
              candidates[0]->username + ", " + candidates[1]->username +
              ") through different match keys";
    return;
  }
  const User* user = candidates[0];
  EnsureClaimed();
  if (const std::string_view* claim = claimed_.Find(user->id)) {
    std::string owner(*claim);
    if (InRoster(owner)) {
      id->kind = Identity::Kind::kAmbiguous;
      id->why = row.key + " matches " + user->username + ", which key " + owner +
                " already manages";
    } else {
      id->kind = Identity::Kind::kCreate;  // held by the guards as a suspected rename
      id->suspected_rename = true;
      id->rename_partner = owner;
      id->user = user;
    }
    return;
  }
  std::string conflict = MatchConflict(row, *user);
  id->user = user;
  if (!conflict.empty()) {
    id->kind = Identity::Kind::kAmbiguous;
    id->user = nullptr;
    id->why = row.key + " matches " + user->username + " " + conflict +
              "; not adopted (two people, or a changed address?)";
  } else if (!opt_.scope.adopt_existing) {
    id->kind = Identity::Kind::kLeftAlone;
    id->why = row.key + " matches existing account " + user->username +
              "; not adopted (scope.adopt_existing=false); left alone";
  } else {
    id->kind = Identity::Kind::kAdopt;
  }
}

void PlanBuilder::ResolveIdentities() {
  SortRows();
  std::unordered_map<const User*, std::vector<size_t>> adopters;
  for (size_t i = 0; i < rows_.size(); ++i) {
    const RosterEntry& row = *rows_[i];
    Identity& id = identities_[i];
    if (id.known != nullptr && !id.known->user_id.empty()) {
      if (const User* user = FindUser(id.known->user_id)) {
        id.kind = Identity::Kind::kKnown;
        id.user = user;
        continue;
      }
      Notice(row.key, row.key + ": account " + id.known->user_id +
                          " from the ledger no longer exists on the server; matching again");
    }
    MatchRow(row, &id);
    if (id.kind == Identity::Kind::kAdopt) adopters[id.user].push_back(i);
  }
  // Two rows -> one account: never guess which of them it is.
  for (auto& [user, indexes] : adopters) {
    if (indexes.size() < 2) continue;
    std::string keys;
    for (size_t i : indexes) keys += (keys.empty() ? "" : ", ") + rows_[i]->key;
    for (size_t i : indexes) {
      identities_[i].kind = Identity::Kind::kAmbiguous;
      identities_[i].why = "rows " + keys + " all match account " + user->username;
    }
  }
}

}  // namespace planner_internal
}  // namespace rostersync
