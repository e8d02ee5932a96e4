// Executor helpers without I/O: the journal payload (ActionToJson) and drift checks.
#include "sync/executor.h"
#include "sync/plan_json.h"
#include "sync/text.h"

namespace rostersync {

std::string ActionJournalPayload(const Action& action) { return ActionToJson(action); }

std::vector<std::string> ActionDrift(const Action& a, const User& u) {
  std::vector<std::string> drift;
  auto check = [&](const char* field, const std::string& have, const std::string& want,
                   bool fold_case) {
    bool same = fold_case ? EqualsIgnoreCase(have, want) : have == want;
    if (!same) {
      drift.push_back(EscapeControl(u.username) + ": " + field + " is \"" + EscapeControl(have) +
                      "\" on the server, expected \"" + EscapeControl(want) + "\"");
    }
  };
  auto opt = [&](const char* field, const std::string& have,
                 const std::optional<std::string>& want, bool fold_case) {
    if (want) check(field, have, *want, fold_case);
  };
  switch (a.type) {
    case ActionType::kCreate:
      check("username", u.username, a.new_user.username, true);
      check("email", u.email, a.new_user.email, true);
      break;
    case ActionType::kUpdate:
      opt("username", u.username, a.patch.username, true);
      opt("email", u.email, a.patch.email, true);
      opt("first_name", u.first_name, a.patch.first_name, false);
      opt("last_name", u.last_name, a.patch.last_name, false);
      opt("nickname", u.nickname, a.patch.nickname, false);
      opt("position", u.position, a.patch.position, false);
      opt("locale", u.locale, a.patch.locale, false);
      break;
    case ActionType::kAuth: check("auth_service", u.auth_service, a.auth_service, false); break;
    case ActionType::kRole:
      if (!SameWords(u.roles, a.roles)) check("roles", u.roles, a.roles, false);
      break;
    case ActionType::kGuest:
      if (!u.HasRole("system_guest")) check("roles", u.roles, "system_guest", false);
      break;
    case ActionType::kPromote:
      if (u.HasRole("system_guest")) check("roles", u.roles, "system_user", false);
      break;
    case ActionType::kDeactivate:
      if (u.active()) check("active", "true", "false", false);
      break;
    case ActionType::kReactivate:
      if (!u.active()) check("active", "false", "true", false);
      break;
    case ActionType::kVerifyEmail:     // not readable in other users' profiles
    case ActionType::kPasswordReset:   // nothing to read back
    case ActionType::kJoinTeam:        // memberships: the next cycle's reads show them
    case ActionType::kJoinChannel:
    case ActionType::kLeaveChannel:
    case ActionType::kLeaveTeam:
      break;
  }
  return drift;
}

}  // namespace rostersync
