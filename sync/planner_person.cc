// Planner, part 2: one person at a time: create, reactivate, deactivate (roster status,
// end_date, absence with grace) and the ledger's absence bookkeeping.
#include <algorithm>

#include "sync/clock.h"
#include "sync/planner_internal.h"

namespace rostersync {
namespace planner_internal {

Action& PlanBuilder::Add(ActionType type, const std::string& key, const User* user) {
  actions_.emplace_back();
  Action& action = actions_.back();
  action.type = type;
  action.key = key;
  if (user != nullptr) {
    action.user_id = user->id;
    action.username = user->username;
    action.email = user->email;
  }
  return action;
}

void PlanBuilder::Notice(const std::string& key, std::string text) {
  notices_.push_back(KeyedNotice{key, std::move(text)});
}

bool PlanBuilder::DesiredActive(const RosterEntry& row, std::string* why) const {
  if (!row.active) {
    *why = "inactive in roster";
    return false;
  }
  if (mapped_end_date_ && !row.end_date.empty() && row.end_date <= today_) {
    *why = "end_date " + row.end_date + " reached";
    return false;
  }
  return true;
}

namespace {

bool StartsLater(const RosterEntry& row, const std::string& today, bool mapped) {
  return mapped && !row.start_date.empty() && row.start_date > today;
}

void HoldForGuests(Action* action, const std::string& reason) {
  action->held = true;
  action->held_reason = std::string(kGuardGuests) + ": guest account, but " + reason;
}

}  // namespace

std::string GuestsUnavailable(const PlannerInput& in) {
  return in.capabilities == nullptr ? "" : in.capabilities->GuestsUnavailableReason();
}

void PlanBuilder::PlanRow(const RosterEntry& row, const Identity& id, EntryDraft* entry) {
  const std::string& key = row.key;
  std::string why;
  bool desired = DesiredActive(row, &why);
  switch (id.kind) {
    case Identity::Kind::kLeftAlone:
      Notice(key, id.why.empty() ? key + " matches " + OutOfScopeReason(*id.user) + "; left alone"
                                 : id.why);
      return;
    case Identity::Kind::kAmbiguous: {
      Notice(key, "ambiguous match: " + id.why + "; resolve it by hand (fix the roster or the "
                                                 "ledger); nothing is guessed");
      size_t first = actions_.size();
      if (desired) PlanCreate(row, id, entry);
      for (size_t i = first; i < actions_.size(); ++i) Hold(&actions_[i], kGuardAmbiguous, id.why);
      return;
    }
    case Identity::Kind::kCreate:
      if (desired) PlanCreate(row, id, entry);
      return;
    case Identity::Kind::kKnown:
    case Identity::Kind::kAdopt:
      break;
  }
  const User& user = *id.user;
  if (id.kind == Identity::Kind::kKnown) {
    std::string reason = OutOfScopeReason(user);
    if (!reason.empty()) {
      Notice(key, key + " is " + reason + "; left alone");
      entry->ClearAbsence();
      return;
    }
  } else {
    LedgerEntry fresh;
    fresh.key = key;
    fresh.user_id = user.id;
    entry->Replace(std::move(fresh));
    Notice(key, key + " adopts existing account " + user.username);
  }
  ++managed_;
  entry->ClearAbsence();
  PlanAccount(row, user, entry, desired, why);
}

// Whether the row can be created; when not, the notice says why.
bool PlanBuilder::CanCreate(const RosterEntry& row, const std::string& service,
                            const std::string& data) {
  const std::string& key = row.key;
  if (!opt_.policy.create) {
    Notice(key, key + " (" + row.username + ") is not created (policy.create=false)");
    return false;
  }
  if (StartsLater(row, today_, mapped_start_date_)) {
    Notice(key, key + " (" + row.username + ") starts " + row.start_date + "; not created yet");
    return false;
  }
  if (row.username.empty() || row.email.empty()) {
    Notice(key, key + " has no " + std::string(row.username.empty() ? "username" : "email") +
                    "; not created");
    return false;
  }
  if (!service.empty() && data.empty()) {
    Notice(key, key + " has auth_service " + service + " but no auth_data; not created");
    return false;
  }
  if (!InScopeService(service)) {
    Notice(key, key + " would sign in with " + service +
                    ", which is not in scope.auth_services; not created");
    return false;
  }
  return true;
}

Action& PlanBuilder::AddCreate(const RosterEntry& row, const std::string& service,
                               const std::string& data) {
  Action& create = Add(ActionType::kCreate, row.key, nullptr);
  create.username = row.username;
  create.email = row.email;
  NewUser& nu = create.new_user;
  nu.username = row.username;
  nu.email = row.email;
  nu.first_name = row.first_name;
  nu.last_name = row.last_name;
  nu.nickname = row.nickname;
  nu.position = row.position;
  nu.locale = row.locale;
  nu.auth_service = service;
  nu.auth_data = data;
  const std::pair<const char*, const std::string*> fields[] = {
      {"username", &nu.username},   {"email", &nu.email},       {"first_name", &nu.first_name},
      {"last_name", &nu.last_name}, {"nickname", &nu.nickname}, {"position", &nu.position},
      {"locale", &nu.locale},       {"auth_service", &nu.auth_service},
      {"auth_data", &nu.auth_data}};
  for (const auto& [name, value] : fields) {
    if (!value->empty()) create.changes.push_back(FieldChange{name, "", *value});
  }
  return create;
}

void PlanBuilder::PlanCreate(const RosterEntry& row, const Identity& id, EntryDraft* entry) {
  const std::string& key = row.key;
  std::string service = mapped_auth_service_ ? row.auth_service : "";
  std::string data = mapped_auth_data_ && !service.empty() ? row.auth_data : "";
  if (!CanCreate(row, service, data)) return;
  Action& create = AddCreate(row, service, data);
  Role role = mapped_role_ ? row.role : Role::kUser;
  const bool admin_granted = opt_.policy.roles && opt_.scope.manage_system_admins;
  // The role the account will actually get: an admin row without the grant is a member.
  create.detail = std::string("role=") +
                  RoleName(role == Role::kAdmin && !admin_granted ? Role::kUser : role);
  if (id.suspected_rename) create.detail += "  (resembles leaving key " + id.rename_partner + ")";
  // Create-then-demote would leave a full member where the server cannot demote: the
  // create is held instead (never more access than the roster gives).
  // With policy.guests=false nothing would demote the new account: held the same way.
  const std::string no_guests =
      opt_.policy.guests ? GuestsUnavailable(in_)
                         : "policy.guests is false, so rostersync would leave a full member";
  if (role == Role::kGuest && !no_guests.empty()) {
    HoldForGuests(&create, no_guests);
    return;
  }
  bool held = id.kind == Identity::Kind::kAmbiguous || (id.suspected_rename && !opt_.force);
  if (!held) {  // a held create leaves the ledger as it was
    LedgerEntry fresh;
    fresh.key = key;
    entry->Replace(std::move(fresh));
  }
  PlanCreatedRole(row, role, admin_granted);
  if (service.empty()) PlanCreatedMail(row);
}

void PlanBuilder::PlanCreatedRole(const RosterEntry& row, Role role, bool admin_granted) {
  const std::string& key = row.key;
  if (role == Role::kGuest) {
    if (opt_.policy.guests) {
      Action& guest = Add(ActionType::kGuest, key, nullptr);
      guest.username = row.username;
      guest.email = row.email;
      guest.roles = RolesFor(Role::kGuest, "system_user");
      guest.changes.push_back(FieldChange{"roles", "system_user", guest.roles});
      guest.detail = "member -> guest";
    } else {
      Notice(key, key + ": roster role guest not applied (policy.guests=false)");
    }
  } else if (role == Role::kAdmin) {
    if (admin_granted) {
      Action& admin = Add(ActionType::kRole, key, nullptr);
      admin.username = row.username;
      admin.email = row.email;
      admin.roles = RolesFor(Role::kAdmin, "system_user");
      admin.changes.push_back(FieldChange{"roles", "system_user", admin.roles});
      admin.detail = "system_user -> " + admin.roles;
    } else {
      Notice(key, key + ": roster role system_admin not granted (needs policy.roles and "
                        "scope.manage_system_admins)");
    }
  }
}

void PlanBuilder::PlanCreatedMail(const RosterEntry& row) {
  if (opt_.policy.verify_email) {
    Action& verify = Add(ActionType::kVerifyEmail, row.key, nullptr);
    verify.username = row.username;
    verify.email = row.email;
  }
  if (opt_.policy.send_password_reset) {
    Action& reset = Add(ActionType::kPasswordReset, row.key, nullptr);
    reset.username = row.username;
    reset.email = row.email;
  }
}

void PlanBuilder::PlanDeactivate(const std::string& key, const User& user,
                                 const std::string& detail) {
  switch (opt_.policy.deactivate) {
    case DeactivateMode::kOff:
      return;
    case DeactivateMode::kReport:
      Notice(key, "would deactivate " + user.username + " (key=" + key + "): " + detail +
                      " (policy.deactivate=report)");
      return;
    case DeactivateMode::kOn:
      Add(ActionType::kDeactivate, key, &user).detail = detail;
      return;
  }
}

void PlanBuilder::PlanAccount(const RosterEntry& row, const User& user, EntryDraft* entry,
                              bool desired_active, const std::string& inactive_why) {
  const std::string& key = row.key;
  if (!desired_active) {
    // A leaver row naming another email or username (a shifted row?) counts as an identity
    // change for the mass_identity_change guard, which then holds the deactivation too.
    if (user.active() && RowRenames(row, user)) identity_keys_.insert(key);
    if (user.active()) PlanDeactivate(key, user, inactive_why);
    return;
  }
  if (!user.active()) {
    const auto& set = entry->get().set_values;
    auto active = set.find("active");
    bool ours = active != set.end() && active->second == "false";
    if (StartsLater(row, today_, mapped_start_date_)) {
      Notice(key, key + " (" + user.username + ") starts " + row.start_date +
                      "; not reactivated yet");
      return;
    }
    if (!ours && !mapped_active_) {
      Notice(key, user.username + " (key=" + key +
                      ") was deactivated outside rostersync; left alone (map fields.active "
                      "to manage it)");
      return;
    }
    if (!opt_.policy.reactivate) {
      Notice(key, user.username + " (key=" + key + ") is deactivated; not reactivated "
                                                     "(policy.reactivate=false)");
      return;
    }
    Action& reactivate = Add(ActionType::kReactivate, key, &user);
    const std::string no_guests = GuestsUnavailable(in_);
    if (user.HasRole("system_guest") && !no_guests.empty()) {
      HoldForGuests(&reactivate, no_guests);  // the server answers 401; nothing else is done
      return;
    }
  }
  ClearConfirmedEmail(user, entry);
  PlanUpdate(row, user, entry);
  bool email_changed = !actions_.empty() && actions_.back().key == key &&
                       actions_.back().type == ActionType::kUpdate &&
                       actions_.back().patch.email.has_value();
  // RequireEmailVerification: the server keeps the old email until the person follows the
  // link it mails; verify/member would verify the old address, so none is planned.
  const bool server_verifies =
      in_.capabilities != nullptr && in_.capabilities->require_email_verification;
  if (email_changed && server_verifies) {
    actions_.back().detail = "new email pending verification by the person";
  }
  bool auth_planned = PlanAuth(row, user, entry);
  PlanRoles(row, user);
  std::string final_service = auth_planned ? row.auth_service : user.auth_service;
  if (opt_.policy.verify_email && (final_service.empty() || final_service == "email")) {
    // Verify only what rostersync made unverified: its own create or email change (the
    // ledger says "false"). An adopted account's state is unknown (lists omit
    // email_verified) and is not ours to change, so it is left alone.
    const auto& set = entry->get().set_values;
    auto rec = set.find("email_verified");
    bool ours_unverified = rec != set.end() && rec->second == "false";
    if ((email_changed && !server_verifies) ||
        (ours_unverified && !user.email_verified.value_or(false))) {
      const Action* update = email_changed ? &actions_.back() : nullptr;
      const bool update_held = update != nullptr && update->held;
      const std::string held_reason = update_held ? update->held_reason : "";
      Action& verify = Add(ActionType::kVerifyEmail, key, &user);
      if (email_changed) verify.email = row.email;
      if (update_held) {  // waits with the held email change (identity_conflict)
        verify.held = true;
        verify.held_reason = held_reason;
      }
    }
  }
}

void PlanBuilder::PlanAbsent(const std::string& key, const LedgerEntry& old, EntryDraft* draft) {
  if (roster_.rejected_keys.count(key) > 0) {
    Notice(key, key + ": its roster row was rejected; not deactivated");
    const User* user = FindUser(old.user_id);
    if (user != nullptr && OutOfScopeReason(*user).empty()) ++managed_;
    return;
  }
  if (old.user_id.empty()) {  // a create that never completed, for someone who has left
    draft->Remove();
    return;
  }
  const User* user = FindUser(old.user_id);
  if (user == nullptr) {
    Notice(key, key + ": account " + old.user_id +
                    " no longer exists on the server and the key left the roster; dropped "
                    "from the ledger");
    draft->Remove();
    return;
  }
  std::string reason = OutOfScopeReason(*user);
  if (!reason.empty()) {
    Notice(key, key + " is absent from the roster, but it is " + reason + "; left alone");
    return;
  }
  ++managed_;
  int64_t now = std::max<int64_t>(in_.now_ms, 1);
  if (!user->active()) {  // already deactivated: the absence is recorded once
    if (old.absent_since_ms == 0) {
      LedgerEntry* e = draft->edit();
      e->absent_since_ms = now;
      e->absent_cycles = std::max(e->absent_cycles, 1);
    }
    return;
  }
  LedgerEntry& entry = *draft->edit();
  if (entry.absent_since_ms == 0) entry.absent_since_ms = now;
  entry.absent_cycles += 1;
  const PolicyOptions& policy = opt_.policy;
  bool due = entry.absent_cycles > policy.deactivate_after_cycles &&
             (policy.deactivate_after_ms <= 0 ||
              now - entry.absent_since_ms >= policy.deactivate_after_ms);
  std::string since = UtcDate(entry.absent_since_ms);
  if (!due) {
    Notice(key, user->username + " (key=" + key + ") absent from roster since " + since +
                    " (cycle " + std::to_string(entry.absent_cycles) +
                    "); deactivated after policy.deactivate_after");
    return;
  }
  PlanDeactivate(key, *user, "absent from roster since " + since);
}

}  // namespace planner_internal
}  // namespace rostersync
