// Planner, part 3: per-field decisions for an existing account: profile patch, auth method,
// roles and guests. (What an applied action records in the ledger: sync/plan_ledger.cc.)
#include <sstream>

#include "sync/planner_internal.h"

namespace rostersync {

namespace {

bool IsOAuth(const std::string& service) {
  return service == "gitlab" || service == "google" || service == "office365" ||
         service == "openid";
}

std::string ServiceName(const std::string& service) {
  return service.empty() ? "email" : service;
}

// rostersync sent `wanted` before and the server stored it as `current` (it cleans names and
// replaces unsupported locales): sending it again would change nothing, every cycle.
bool StoredInItsOwnForm(const LedgerEntry& e, const std::string& field, const std::string& wanted,
                        const std::string& current) {
  auto asked = e.set_values.find("requested:" + field);
  auto stored = e.set_values.find(field);
  return asked != e.set_values.end() && asked->second == wanted &&
         stored != e.set_values.end() && stored->second == current;
}

}  // namespace

std::string RolesFor(Role role, const std::string& current) {
  std::string out = role == Role::kGuest   ? "system_guest"
                    : role == Role::kAdmin ? "system_user system_admin"
                                           : "system_user";
  std::istringstream in(current);
  std::string word;
  while (in >> word) {
    if (word == "system_user" || word == "system_admin" || word == "system_guest") continue;
    out += " " + word;
  }
  return out;
}

namespace planner_internal {

void PlanBuilder::PlanUpdate(const RosterEntry& row, const User& user, EntryDraft* entry) {
  if (!opt_.policy.update) return;
  const std::string& key = row.key;
  const std::string service(ServiceOf(user.auth_service));
  UserPatch patch;
  std::vector<FieldChange> changes;
  std::string conflict;  // why the update is held (identity_conflict), "" when it is not
  // In PatchField order.
  const std::string* const want[kPatchFieldCount] = {
      &row.username, &row.email,    &row.first_name, &row.last_name,
      &row.nickname, &row.position, &row.locale};
  const std::string* const have[kPatchFieldCount] = {
      &user.username, &user.email,    &user.first_name, &user.last_name,
      &user.nickname, &user.position, &user.locale};
  std::optional<std::string>* const slot[kPatchFieldCount] = {
      &patch.username, &patch.email,    &patch.first_name, &patch.last_name,
      &patch.nickname, &patch.position, &patch.locale};
  for (int field = 0; field < kPatchFieldCount; ++field) {
    const std::string& wanted = *want[field];
    const std::string& current = *have[field];
    if (!patchable_[field] || wanted.empty()) continue;
    bool folded = field == kUsername || field == kEmail;
    if (folded ? EqualsIgnoreCase(wanted, current) : wanted == current) {
      if (field == kUsername) entry->Forget("sso_username");
      continue;
    }
    const char* name = kPatchFieldNames[field];
    if (SsoKeepsField(field, user, key, service, wanted, entry)) continue;
    if (ProviderOwns(service, name)) continue;
    if (StoredInItsOwnForm(entry->get(), name, wanted, current)) continue;
    if (field == kEmail) {
      auto pending = entry->get().set_values.find("email_pending");
      if (pending != entry->get().set_values.end() && pending->second == Lower(wanted)) {
        Notice(key, user.username + " (key=" + key + "): email change to " + wanted +
                        " pending verification by the person");
        continue;
      }
    }
    if (folded && IdentityFieldTaken(field, user, key, wanted, &conflict)) continue;
    *slot[field] = wanted;
    changes.push_back(FieldChange{name, current, wanted});
  }
  if (changes.empty()) return;
  Action& update = Add(ActionType::kUpdate, key, &user);
  if (patch.username) update.username = *patch.username;
  if (patch.email) update.email = *patch.email;
  update.patch = std::move(patch);
  update.changes = std::move(changes);
  if (!conflict.empty()) Hold(&update, kGuardConflict, conflict);
}

bool PlanBuilder::SsoKeepsField(int field, const User& user, const std::string& key,
                                const std::string& service, const std::string& wanted,
                                EntryDraft* entry) {
  if (field == kUsername && !service.empty()) {
    if (entry->ReportOnce("sso_username")) {
      Notice(key, user.username + " (key=" + key + ") signs in with " + service +
                      ": its username follows the identity provider and cannot be changed to " +
                      wanted + " through the API (reported once)");
    }
    return true;
  }
  if (field == kEmail && (service == "ldap" || IsOAuth(service))) {
    if (entry->ReportOnce("sso_email")) {
      Notice(key, user.username + " (key=" + key + ") signs in with " + service +
                      ": its email follows the identity provider; not changed to " + wanted +
                      " (reported once)");
    }
    return true;
  }
  if ((field == kFirstName || field == kLastName) && IsOAuth(service)) {
    if (entry->ReportOnce("sso_name")) {
      Notice(key, user.username + " (key=" + key + ") signs in with " + service +
                      ": its name follows the identity provider (reported once)");
    }
    return true;
  }
  return false;
}

bool PlanBuilder::IdentityFieldTaken(int field, const User& user, const std::string& key,
                                     const std::string& wanted, std::string* conflict) {
  const char* name = kPatchFieldNames[field];
  identity_keys_.insert(key);  // counted by the mass_identity_change guard
  const auto& index = field == kEmail ? ByEmail() : ByUsername();
  const User* const* other = index.Find(Lower(wanted));
  if (other != nullptr && *other != &user && KeptByManaged(**other, field)) {
    // Another managed account keeps it (a shifted row?): the update is held, not trimmed.
    if (conflict->empty()) {
      *conflict = std::string(name) + " " + wanted + " belongs to managed account " +
                  (*other)->username + ", which keeps it; fix the roster row";
    }
  } else if (other != nullptr && *other != &user) {
    Notice(key, "cannot change " + std::string(name) + " of " + user.username + " (key=" + key +
                    ") to " + wanted + ": account " + (*other)->username + " already uses it");
    return true;
  }
  return false;
}

bool PlanBuilder::ProviderOwns(const std::string& service, const char* field) {
  if (in_.capabilities == nullptr || in_.capabilities->OwnedFields(service).count(field) == 0) {
    return false;
  }
  ++provider_owned_[service + " " + field];
  return true;
}

void PlanBuilder::ProviderOwnedNotices() {
  for (const auto& [what, count] : provider_owned_) {
    std::string service = what.substr(0, what.find(' '));
    std::string field = what.substr(what.find(' ') + 1);
    Notice("", service + " accounts: " + field + " is set by the identity provider and is not "
                   "patched (" + std::to_string(count) +
                   (count == 1 ? " account differs" : " accounts differ") + " from the roster)");
  }
}

void PlanBuilder::ClearConfirmedEmail(const User& user, EntryDraft* entry) {
  if (!entry->exists()) return;
  auto pending = entry->get().set_values.find("email_pending");
  if (pending == entry->get().set_values.end()) return;
  if (!EqualsIgnoreCase(user.email, pending->second)) return;
  const std::string email = pending->second;
  LedgerEntry* e = entry->edit();
  e->set_values["email"] = email;
  e->set_values["email_verified"] = "true";  // the person followed the verification link
  e->set_values.erase("email_pending");
}

bool PlanBuilder::PlanAuth(const RosterEntry& row, const User& user, EntryDraft* entry) {
  if (!mapped_auth_service_) return false;
  const std::string& key = row.key;
  std::string want = row.auth_service == "email" ? "" : row.auth_service;
  std::string have = user.auth_service == "email" ? "" : user.auth_service;
  std::string data = mapped_auth_data_ ? row.auth_data : "";
  if (want.empty()) {
    if (!have.empty() && entry->ReportOnce("auth_to_email")) {
      Notice(key, user.username + " (key=" + key + ") signs in with " + have +
                      "; moving it to email/password is not possible through the API "
                      "(reported once)");
    }
    return false;
  }
  if (data.empty()) {
    if (have != want && entry->ReportOnce("auth_no_data")) {
      Notice(key, user.username + " (key=" + key + ") cannot move to " + want +
                      " without auth_data (reported once)");
    }
    return false;
  }
  const auto& set = entry->get().set_values;
  auto recorded = set.find("auth_data");
  std::string had_data = recorded == set.end() ? "" : recorded->second;
  bool known = recorded != set.end();
  if (have == want && known && had_data == data) return false;
  if (!opt_.policy.auth_migration) {
    if (have != want) {
      Notice(key, user.username + " (key=" + key + "): " + ServiceName(have) + " -> " + want +
                      " not applied (policy.auth_migration=false)");
    }
    return false;
  }
  if (!InScopeService(want)) {
    Notice(key, user.username + " (key=" + key + "): " + want +
                    " is not in scope.auth_services; auth method left alone");
    return false;
  }
  Action& auth = Add(ActionType::kAuth, key, &user);
  auth.auth_service = want;
  auth.auth_data = data;
  if (have != want) auth.changes.push_back(FieldChange{"auth_service", have, want});
  auth.changes.push_back(FieldChange{"auth_data", had_data, data});
  auth.detail = ServiceName(have) + " -> " + want + " (auth_data=" + data + ")";
  return true;
}

void PlanBuilder::PlanRoles(const RosterEntry& row, const User& user) {
  if (!mapped_role_) return;
  const std::string& key = row.key;
  bool is_guest = HasWord(user.roles, "system_guest");
  if (row.role == Role::kGuest) {
    if (is_guest) return;
    if (!opt_.policy.guests) {
      Notice(key, user.username + " (key=" + key + "): roster role guest not applied "
                                                     "(policy.guests=false)");
      return;
    }
    Action& guest = Add(ActionType::kGuest, key, &user);
    guest.roles = RolesFor(Role::kGuest, user.roles);
    guest.changes.push_back(FieldChange{"roles", user.roles, guest.roles});
    guest.detail = "member -> guest";
    const std::string no_guests = GuestsUnavailable(in_);
    if (!no_guests.empty()) {  // the demote would fail every cycle: show it held instead
      guest.held = true;
      guest.held_reason = std::string(kGuardGuests) + ": guest account, but " + no_guests;
    }
    return;
  }
  std::string current = user.roles;
  if (is_guest) {
    if (!opt_.policy.guests) {
      Notice(key, user.username + " (key=" + key + ") is a guest; not promoted "
                                                     "(policy.guests=false)");
      return;
    }
    Action& promote = Add(ActionType::kPromote, key, &user);
    promote.roles = RolesFor(Role::kUser, user.roles);
    promote.changes.push_back(FieldChange{"roles", user.roles, promote.roles});
    promote.detail = "guest -> member";
    current = promote.roles;
  }
  bool is_admin = HasWord(current, "system_admin");
  bool want_admin = row.role == Role::kAdmin;
  if (is_admin == want_admin) return;
  if (!opt_.policy.roles || !opt_.scope.manage_system_admins) {
    // Provenance: a system_admin given by hand stays unless rostersync may manage admins.
    Notice(key, want_admin ? user.username + " (key=" + key +
                                 "): roster role system_admin not granted (needs policy.roles "
                                 "and scope.manage_system_admins)"
                           : user.username + " (key=" + key +
                                 ") holds system_admin that the roster does not give; left "
                                 "alone (policy.roles=false)");
    return;
  }
  Action& role = Add(ActionType::kRole, key, &user);
  role.roles = RolesFor(row.role, current);
  role.changes.push_back(FieldChange{"roles", current, role.roles});
  role.detail = current + " -> " + role.roles;
}

}  // namespace planner_internal
}  // namespace rostersync
