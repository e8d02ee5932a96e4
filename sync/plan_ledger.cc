// The plan's effect on the identity ledger: ActionSetValues (provenance of one applied
// action, shared by planner and executor), RecordAppliedAction and MergeLedgerChanges.
#include "sync/planner.h"
#include "sync/text.h"

namespace rostersync {
namespace {

// What a create sets: the new account's fields as POST /users stores them.
std::map<std::string, std::string> CreateSetValues(const NewUser& n) {
  std::map<std::string, std::string> v;
  v["username"] = Lower(n.username);
  v["email"] = Lower(n.email);
  v["first_name"] = n.first_name;
  v["last_name"] = n.last_name;
  v["nickname"] = n.nickname;
  v["position"] = n.position;
  v["locale"] = n.locale;
  v["auth_service"] = n.auth_service;
  v["auth_data"] = n.auth_data;
  v["roles"] = "system_user";  // what POST /users gives; a role/guest action follows
  v["active"] = "true";
  // A new email-login account starts unverified; the verify_email action that follows
  // records "true". Only accounts with this record are ever verified later.
  v["email_verified"] = n.email_verified.value_or(false) ? "true" : "false";
  return v;
}

}  // namespace

std::map<std::string, std::string> ActionSetValues(const Action& a) {
  std::map<std::string, std::string> v;
  auto opt = [&v](const char* field, const std::optional<std::string>& value) {
    if (value) v[field] = *value;
  };
  switch (a.type) {
    case ActionType::kCreate:
      v = CreateSetValues(a.new_user);
      break;
    case ActionType::kUpdate:
      opt("username", a.patch.username);
      opt("email", a.patch.email);
      opt("first_name", a.patch.first_name);
      opt("last_name", a.patch.last_name);
      opt("nickname", a.patch.nickname);
      opt("position", a.patch.position);
      opt("locale", a.patch.locale);
      if (a.patch.email) v["email_verified"] = "false";  // the server clears it
      break;
    case ActionType::kAuth:
      v["auth_service"] = a.auth_service;
      v["auth_data"] = a.auth_data;
      break;
    case ActionType::kRole:
      v["roles"] = a.roles;
      break;
    case ActionType::kGuest:
      v["roles"] = a.roles.empty() ? "system_guest" : a.roles;
      break;
    case ActionType::kPromote:
      v["roles"] = a.roles.empty() ? "system_user" : a.roles;
      break;
    case ActionType::kVerifyEmail:
      v["email_verified"] = "true";
      break;
    case ActionType::kPasswordReset:
      v["password_reset_sent"] = "true";
      break;
    case ActionType::kDeactivate:
      v["active"] = "false";
      break;
    case ActionType::kReactivate:
      v["active"] = "true";
      break;
    // A join records the name ("company", "company/dept-eng"): a channel nobody is given any
    // more (a renamed department) is found again by it, to remove what rostersync added.
    case ActionType::kJoinTeam:
      v["member:team:" + a.team_id] = a.team.empty() ? "true" : a.team;
      break;
    case ActionType::kLeaveTeam: v["member:team:" + a.team_id] = "false"; break;
    case ActionType::kJoinChannel:
      v["member:channel:" + a.channel_id] = a.team.empty() ? "true" : a.team + "/" + a.channel;
      break;
    case ActionType::kLeaveChannel: v["member:channel:" + a.channel_id] = "false"; break;
  }
  return v;
}

void RecordAppliedAction(const Action& action, const std::string& user_id, LedgerEntry* entry) {
  if (!user_id.empty()) entry->user_id = user_id;
  if (entry->key.empty()) entry->key = action.key;
  for (auto& [field, value] : ActionSetValues(action)) entry->set_values[field] = std::move(value);
}

void MergeLedgerChanges(const Plan& plan, Ledger* ledger) {
  for (const std::string& key : plan.ledger_removed) ledger->erase(key);
  for (const auto& [key, entry] : plan.ledger_after) (*ledger)[key] = entry;
}

}  // namespace rostersync
