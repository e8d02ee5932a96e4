// Guest accounts: demote, promote, and the checks on reactivating a user (guests while
// guest accounts are off, the user limit). Status codes and ids as in api4/user.go.
#include <mutex>
#include <sstream>

#include "emulator/users_routes.h"

namespace mmemu {

namespace {

// Replaces role `from` by `to` and drops `drop` ("" = none), keeping every other role.
std::string SwapRoles(const std::string& roles, const std::string& from, const std::string& to,
                      const std::string& drop) {
  std::istringstream in(roles);
  std::string out;
  bool placed = false;
  for (std::string r; in >> r;) {
    if (r == drop || r == to) continue;
    if (r == from) {
      if (placed) continue;
      r = to;
      placed = true;
    }
    out += (out.empty() ? "" : " ") + r;
  }
  if (!placed) out = to + (out.empty() ? "" : " " + out);
  return out;
}

size_t ActiveUsers(const UserStore& store) {
  size_t n = 0;
  for (const EmuUser* u : store.Sorted()) {
    if (u->IsActive() && !u->is_bot) ++n;
  }
  return n;
}

}  // namespace

void UsersRoutes::Demote(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  const ServerModes m = modes_->Get();
  if (!m.licensed) {
    return SetAppError(req, resp, 501, "api.team.demote_user_to_guest.license.error",
                       "Your license does not support guest accounts");
  }
  if (!m.guest_accounts_enabled) {
    return SetAppError(req, resp, 501, "api.team.demote_user_to_guest.disabled.error",
                       "Guest accounts are disabled.");
  }
  if (!m.license_guest_accounts) {
    return SetAppError(req, resp, 403, "api.team.demote_user_to_guest.license.error",
                       "Your license does not support guest accounts");
  }
  if (!caller.admin) return SetForbidden(req, resp);
  std::unique_lock lock(store_->mu());
  EmuUser* user = store_->FindById(PathUserId(req, caller));
  if (!user) return SetUserNotFound(req, resp);
  if (user->IsGuest()) {
    return SetAppError(req, resp, 501, "api.user.demote_user_to_guest.already_guest.app_error",
                       "Unable to convert the user to guest because is already a guest.");
  }
  EmuUser before = *user;
  user->roles = SwapRoles(user->roles, "system_user", "system_guest", "system_admin");
  BumpAndSave(store_, user, before);
  SetStatusOk(resp);
}

void UsersRoutes::Promote(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  // No license check: promoting works on any server.
  if (!caller.admin) return SetForbidden(req, resp);
  std::unique_lock lock(store_->mu());
  EmuUser* user = store_->FindById(PathUserId(req, caller));
  if (!user) return SetUserNotFound(req, resp);
  if (!user->IsGuest()) {
    return SetAppError(req, resp, 501, "api.user.promote_guest_to_user.no_guest.app_error",
                       "Unable to convert the non-guest user to regular user.");
  }
  EmuUser before = *user;
  user->roles = SwapRoles(user->roles, "system_guest", "system_user", "");
  BumpAndSave(store_, user, before);
  SetStatusOk(resp);
}

bool UsersRoutes::CheckReactivation(const ApiRequest& req, const EmuUser& user,
                                    ApiResponse* resp) {
  const ServerModes m = modes_->Get();
  if (user.IsGuest() && !m.guest_accounts_enabled) {
    SetAppError(req, resp, 401,
                "api.user.update_active.cannot_enable_guest_when_guest_feature_is_disabled."
                "app_error",
                "You cannot activate a guest account because Guest Access feature is not "
                "enabled.",
                "userId=" + user.id);
    return false;
  }
  if (!user.IsActive() && m.user_limit > 0 &&
      ActiveUsers(*store_) >= static_cast<size_t>(m.user_limit)) {
    // updateUserActive sets the error but still writes {"status":"OK"}; the error's JSON
    // is then appended to the same 200 answer.
    ApiResponse error;
    SetAppError(req, &error, 400, "app.user.update_active.user_limit.exceeded",
                "Can't activate user. Server exceeds safe user limit. Contact your "
                "administrator with: ERROR_SAFETY_LIMITS_EXCEEDED.");
    SetStatusOk(resp);
    resp->body += error.body;
    return false;
  }
  return true;
}

}  // namespace mmemu
