// Planner, part 3: per-field decisions for an existing account: profile patch, auth method,
// roles and guests; and RecordAppliedAction, the ledger side of applying an action.
#include <sstream>

#include "sync/planner_internal.h"

namespace rostersync {

using planner_internal::EqualsIgnoreCase;

namespace {

bool IsOAuth(const std::string& service) {
  return service == "gitlab" || service == "google" || service == "office365" ||
         service == "openid";
}

std::string ServiceName(const std::string& service) {
  return service.empty() ? "email" : service;
}

bool ReportOnce(LedgerEntry* entry, const char* tag) {
  return entry->reported.insert(tag).second;
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

void RecordAppliedAction(const Action& action, const std::string& user_id, LedgerEntry* entry) {
  if (!user_id.empty()) entry->user_id = user_id;
  if (entry->key.empty()) entry->key = action.key;
  auto& sv = entry->set_values;
  switch (action.type) {
    case ActionType::kCreate: {
      const NewUser& nu = action.new_user;
      sv["username"] = nu.username;
      sv["email"] = nu.email;
      sv["first_name"] = nu.first_name;
      sv["last_name"] = nu.last_name;
      sv["nickname"] = nu.nickname;
      sv["position"] = nu.position;
      sv["locale"] = nu.locale;
      sv["auth_service"] = nu.auth_service;
      sv["auth_data"] = nu.auth_data;
      sv["roles"] = "system_user";
      sv["active"] = "true";
      break;
    }
    case ActionType::kUpdate: {
      const UserPatch& p = action.patch;
      if (p.username) sv["username"] = *p.username;
      if (p.email) {
        sv["email"] = *p.email;
        sv.erase("email_verified");  // the server clears it on an email change
      }
      if (p.first_name) sv["first_name"] = *p.first_name;
      if (p.last_name) sv["last_name"] = *p.last_name;
      if (p.nickname) sv["nickname"] = *p.nickname;
      if (p.position) sv["position"] = *p.position;
      if (p.locale) sv["locale"] = *p.locale;
      break;
    }
    case ActionType::kAuth:
      sv["auth_service"] = action.auth_service;
      sv["auth_data"] = action.auth_data;
      break;
    case ActionType::kRole:
    case ActionType::kGuest:
      sv["roles"] = action.roles;
      break;
    case ActionType::kPromote:
      sv["roles"] = action.roles.empty() ? "system_user" : action.roles;
      break;
    case ActionType::kVerifyEmail:
      sv["email_verified"] = "true";
      break;
    case ActionType::kPasswordReset:
      sv["password_reset_sent"] = "true";
      break;
    case ActionType::kDeactivate:
      sv["active"] = "false";
      break;
    case ActionType::kReactivate:
      sv["active"] = "true";
      break;
  }
}

namespace planner_internal {

void PlanBuilder::PlanUpdate(const RosterEntry& row, const User& user, LedgerEntry* entry) {
  if (!opt_.policy.update) return;
  const std::string& key = row.key;
  const std::string& service = user.auth_service == "email" ? "" : user.auth_service;
  UserPatch patch;
  std::vector<FieldChange> changes;
  struct Field {
    const char* name;
    const std::string& want;
    const std::string& have;
    std::optional<std::string>* slot;
  };
  const Field fields[] = {
      {"username", row.username, user.username, &patch.username},
      {"email", row.email, user.email, &patch.email},
      {"first_name", row.first_name, user.first_name, &patch.first_name},
      {"last_name", row.last_name, user.last_name, &patch.last_name},
      {"nickname", row.nickname, user.nickname, &patch.nickname},
      {"position", row.position, user.position, &patch.position},
      {"locale", row.locale, user.locale, &patch.locale},
  };
  for (const Field& f : fields) {
    const std::string name = f.name;
    if (opt_.update_fields.count(name) == 0 || !Mapped(f.name) || f.want.empty()) continue;
    bool folded = name == "username" || name == "email";
    if (folded ? EqualsIgnoreCase(f.want, f.have) : f.want == f.have) {
      if (name == "username") entry->reported.erase("sso_username");
      continue;
    }
    if (name == "username" && !service.empty()) {
      if (ReportOnce(entry, "sso_username")) {
        Notice(key, user.username + " (key=" + key + ") signs in with " + service +
                        ": its username follows the identity provider and cannot be changed to " +
                        f.want + " through the API (reported once)");
      }
      continue;
    }
    if (name == "email" && (service == "ldap" || IsOAuth(service))) {
      if (ReportOnce(entry, "sso_email")) {
        Notice(key, user.username + " (key=" + key + ") signs in with " + service +
                        ": its email follows the identity provider; not changed to " + f.want +
                        " (reported once)");
      }
      continue;
    }
    if ((name == "first_name" || name == "last_name") && IsOAuth(service)) {
      if (ReportOnce(entry, "sso_name")) {
        Notice(key, user.username + " (key=" + key + ") signs in with " + service +
                        ": its name follows the identity provider (reported once)");
      }
      continue;
    }
    if (folded) {
      const auto& index = name == "email" ? ByEmail() : ByUsername();
      auto other = index.find(Lower(f.want));
      if (other != index.end() && other->second != &user) {
        Notice(key, "cannot change " + name + " of " + user.username + " (key=" + key +
                        ") to " + f.want + ": account " + other->second->username +
                        " already uses it");
        continue;
      }
    }
    *f.slot = f.want;
    changes.push_back(FieldChange{name, f.have, f.want});
  }
  if (changes.empty()) return;
  Action& update = Add(ActionType::kUpdate, key, &user);
  if (patch.username) update.username = *patch.username;
  if (patch.email) update.email = *patch.email;
  update.patch = std::move(patch);
  update.changes = std::move(changes);
}

bool PlanBuilder::PlanAuth(const RosterEntry& row, const User& user, LedgerEntry* entry) {
  if (!Mapped("auth_service")) return false;
  const std::string& key = row.key;
  std::string want = row.auth_service == "email" ? "" : row.auth_service;
  std::string have = user.auth_service == "email" ? "" : user.auth_service;
  std::string data = Mapped("auth_data") ? row.auth_data : "";
  if (want.empty()) {
    if (!have.empty() && ReportOnce(entry, "auth_to_email")) {
      Notice(key, user.username + " (key=" + key + ") signs in with " + have +
                      "; moving it to email/password is not possible through the API "
                      "(reported once)");
    }
    return false;
  }
  if (data.empty()) {
    if (have != want && ReportOnce(entry, "auth_no_data")) {
      Notice(key, user.username + " (key=" + key + ") cannot move to " + want +
                      " without auth_data (reported once)");
    }
    return false;
  }
  auto recorded = entry->set_values.find("auth_data");
  std::string had_data = recorded == entry->set_values.end() ? "" : recorded->second;
  bool known = recorded != entry->set_values.end();
  if (have == want && known && had_data == data) return false;
  if (!opt_.policy.auth_migration) {
    if (have != want) {
      Notice(key, user.username + " (key=" + key + "): " + ServiceName(have) + " -> " + want +
                      " not applied (policy.auth_migration=false)");
    }
    return false;
  }
  if (in_scope_services_.count(want) == 0) {
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

void PlanBuilder::PlanRoles(const RosterEntry& row, const User& user, const LedgerEntry& entry) {
  if (!Mapped("role")) return;
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
