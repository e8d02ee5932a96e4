// Administrative /api/v4/users handlers: roles, guests, auth method, migrations, email
// verification, password reset, sessions and personal access tokens.
#include <mutex>
#include <set>
#include <shared_mutex>
#include <sstream>

#include "emulator/json_writer.h"
#include "emulator/users_routes.h"

namespace mmemu {

namespace {

const std::set<std::string>& AssignableRoles() {
  static const std::set<std::string> kRoles = {
      "system_guest",           "system_user",
      "system_admin",           "system_post_all",
      "system_post_all_public", "system_user_access_token",
      "system_user_manager",    "system_read_only_admin",
      "system_manager",         "system_custom_group_admin"};
  return kRoles;
}

bool NeedsLicense(const std::string& role) {
  return role == "system_user_manager" || role == "system_read_only_admin" ||
         role == "system_manager";
}

void NotLicensed(const ApiRequest& req, ApiResponse* resp, const std::string& id) {
  SetAppError(req, resp, 501, id, "Your license does not support this feature.");
}

}  // namespace

void UsersRoutes::UpdateRoles(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  auto obj = ParseObject(req.body);
  bool bad = false;
  std::string roles;
  if (!obj || !ReadString(obj, "roles", &roles, &bad)) return SetInvalidBody(req, resp, "roles");
  if (!caller.admin) return SetForbidden(req, resp);
  std::istringstream in(roles);
  std::vector<std::string> names;
  for (std::string r; in >> r;) names.push_back(r);
  for (const auto& r : names) {
    if (!IsValidRoleName(r)) return SetInvalidParam(req, resp, "roles");
  }
  if (names.size() == 1 && names[0] == "system_admin") return SetInvalidParam(req, resp, "roles");
  for (const auto& r : names) {
    if (!AssignableRoles().count(r)) {
      return SetAppError(req, resp, 400, "app.role.check_roles_exist.role_not_found",
                         "The provided role does not exist", "role=" + r);
    }
    if (NeedsLicense(r) && !modes_->Get().licensed) {
      return SetAppError(req, resp, 400, "api.user.update_user_roles.license.app_error",
                         "Custom permission schemes not supported by current license");
    }
  }
  std::unique_lock lock(store_->mu());
  EmuUser* user = store_->FindById(PathUserId(req, caller));
  if (!user) return SetUserNotFound(req, resp);
  EmuUser before = *user;
  std::string joined;
  for (const auto& r : names) joined += (joined.empty() ? "" : " ") + r;
  user->roles = joined;
  BumpAndSave(store_, user, before);
  SetStatusOk(resp);
}

void UsersRoutes::UpdateAuth(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  auto obj = ParseObject(req.body);
  bool bad = false;
  std::string auth_data, auth_service;
  if (!obj) return SetInvalidBody(req, resp, "user");
  ReadString(obj, "auth_data", &auth_data, &bad);
  ReadString(obj, "auth_service", &auth_service, &bad);
  if (bad || auth_data.empty()) return SetInvalidBody(req, resp, "auth_data");
  if (auth_service.empty()) return SetInvalidBody(req, resp, "auth_service");
  if (!caller.admin) return SetForbidden(req, resp);
  if (auth_data.size() > 128) {
    return SetAppError(req, resp, 400, "model.user.is_valid.auth_data.app_error",
                       "Invalid auth data.");
  }
  std::unique_lock lock(store_->mu());
  std::string id = PathUserId(req, caller);
  EmuUser* holder = store_->FindByAuthData(auth_data);
  if (holder && holder->id != id) {
    return SetAppError(req, resp, 400, "app.user.update_auth_data.email_exists.app_error",
                       "Unable to switch account: the auth data is used by another account.");
  }
  EmuUser* user = store_->FindById(id);
  if (user) {  // an unknown id updates 0 rows, which the server does not report
    EmuUser before = *user;
    user->auth_data = auth_data;
    user->auth_service = auth_service == "email" ? "" : auth_service;
    user->password.clear();
    BumpAndSave(store_, user, before);
  }
  JsonWriter w;
  w.BeginObject().Field("auth_data", auth_data).Field("auth_service", auth_service).EndObject();
  resp->body = w.Take();
}

void UsersRoutes::MigrateLdap(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  auto obj = ParseObject(req.body);
  bool bad = false;
  std::string from, match_field;
  if (!obj || !ReadString(obj, "from", &from, &bad) || from.empty()) {
    return SetInvalidBody(req, resp, "from");
  }
  ReadString(obj, "match_field", &match_field, &bad);
  if (bad || match_field.empty()) return SetInvalidBody(req, resp, "match_field");
  if (!caller.admin) return SetForbidden(req, resp);
  if (!modes_->Get().licensed) return NotLicensed(req, resp, "api.admin.ldap.not_available.app_error");
  std::string service = from == "email" ? "" : from;
  std::unique_lock lock(store_->mu());
  for (EmuUser* u : std::vector<EmuUser*>(store_->Sorted())) {
    if (u->auth_service != service || u->is_bot) continue;
    std::string value = match_field == "username" ? u->username
                        : match_field == "id"     ? u->id
                                                  : u->email;
    if (store_->FindByAuthData(value)) continue;
    EmuUser before = *u;
    u->auth_service = "ldap";
    u->auth_data = value;
    u->password.clear();
    BumpAndSave(store_, u, before);
  }
  SetStatusOk(resp);
}

void UsersRoutes::MigrateSaml(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  auto obj = ParseObject(req.body);
  bool bad = false;
  std::string from;
  if (!obj || !ReadString(obj, "from", &from, &bad) || from.empty()) {
    return SetInvalidBody(req, resp, "from");
  }
  StringMap matches;
  ReadStringMap(obj, "matches", &matches, &bad);
  if (bad) return SetInvalidBody(req, resp, "matches");
  bool automatic = obj->has("auto") && obj->get("auto").isBoolean() && obj->getValue<bool>("auto");
  if (!caller.admin) return SetForbidden(req, resp);
  if (!modes_->Get().licensed) return NotLicensed(req, resp, "api.admin.saml.not_available.app_error");
  std::string service = from == "email" ? "" : from;
  std::unique_lock lock(store_->mu());
  for (EmuUser* u : std::vector<EmuUser*>(store_->Sorted())) {
    if (u->auth_service != service || u->is_bot) continue;
    auto m = matches.find(u->email);
    std::string value = m != matches.end() ? m->second : (automatic ? u->email : "");
    if (value.empty() || store_->FindByAuthData(value)) continue;
    EmuUser before = *u;
    u->auth_service = "saml";
    u->auth_data = value;
    u->password.clear();
    BumpAndSave(store_, u, before);
  }
  SetStatusOk(resp);
}

void UsersRoutes::VerifyEmail(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  if (!caller.admin) return SetForbidden(req, resp);
  std::unique_lock lock(store_->mu());
  EmuUser* user = store_->FindById(PathUserId(req, caller));
  if (!user) return SetUserNotFound(req, resp);
  EmuUser before = *user;
  user->email_verified = true;
  BumpAndSave(store_, user, before);
  resp->body = UserToJson(*user, UserView::kSanitized);
}

void UsersRoutes::SendPasswordReset(const ApiRequest& req, const Caller& caller,
                                    ApiResponse* resp) {
  auto obj = ParseObject(req.body);
  bool bad = false;
  std::string email;
  if (!obj || !ReadString(obj, "email", &email, &bad) || email.empty()) {
    return SetInvalidBody(req, resp, "email");
  }
  email = ToLower(email);
  std::unique_lock lock(store_->mu());
  const EmuUser* user = store_->FindByEmail(email);
  if (user && user->auth_service.empty()) store_->password_resets().push_back(email);
  SetStatusOk(resp);  // the server never reveals whether the address exists
}

void UsersRoutes::GetSessions(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  std::string id = PathUserId(req, caller);
  if (id != caller.id && !caller.admin) return SetForbidden(req, resp);
  std::shared_lock lock(store_->mu());
  const EmuUser* user = store_->FindById(id);
  if (!user) return SetUserNotFound(req, resp);
  JsonWriter w;
  w.BeginArray();
  auto it = store_->sessions().find(id);
  if (it != store_->sessions().end()) {
    for (const auto& s : it->second) {
      w.BeginObject()
          .Field("id", s.id)
          .Field("token", "")
          .Field("create_at", s.create_at)
          .Field("expires_at", static_cast<int64_t>(0))
          .Field("last_activity_at", s.last_activity_at)
          .Field("user_id", s.user_id)
          .Field("device_id", "")
          .Field("roles", user->roles)
          .Field("is_oauth", false)
          .Key("props")
          .StringMap({})
          .EndObject();
    }
  }
  w.EndArray();
  resp->body = w.Take();
}

void UsersRoutes::RevokeAllSessions(const ApiRequest& req, const Caller& caller,
                                    ApiResponse* resp) {
  std::string id = PathUserId(req, caller);
  if (id != caller.id && !caller.admin) return SetForbidden(req, resp);
  std::unique_lock lock(store_->mu());
  if (!store_->FindById(id)) return SetUserNotFound(req, resp);
  store_->RevokeSessions(id);
  SetStatusOk(resp);
}

void UsersRoutes::CreateToken(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  auto obj = ParseObject(req.body);
  bool bad = false;
  std::string description;
  if (!obj) return SetInvalidBody(req, resp, "user_access_token");
  ReadString(obj, "description", &description, &bad);
  if (bad || description.empty()) return SetInvalidParam(req, resp, "description");
  std::string id = PathUserId(req, caller);
  if (id != caller.id && !caller.admin) return SetForbidden(req, resp);
  std::unique_lock lock(store_->mu());
  if (!store_->FindById(id)) return SetUserNotFound(req, resp);
  TokenRecord* token = store_->AddToken(id, "", description);
  resp->status = 201;  // the spec documents 201 only
  resp->body = TokenJson(*token, true);
}

void UsersRoutes::GetUserTokens(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  std::string id = PathUserId(req, caller);
  if (id != caller.id && !caller.admin) return SetForbidden(req, resp);
  std::shared_lock lock(store_->mu());
  JsonWriter w;
  w.BeginArray();
  for (const TokenRecord* t : store_->TokensOf(id)) w.Raw(TokenJson(*t, false));
  w.EndArray();
  resp->body = w.Take();
}

void UsersRoutes::GetAllTokens(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  if (!caller.admin) return SetForbidden(req, resp);
  std::shared_lock lock(store_->mu());
  JsonWriter w;
  w.BeginArray();
  for (const TokenRecord* t : store_->AllTokens()) w.Raw(TokenJson(*t, false));
  w.EndArray();
  resp->body = w.Take();
}

void UsersRoutes::GetToken(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  std::shared_lock lock(store_->mu());
  const TokenRecord* t = store_->FindTokenById(req.params[0]);
  if (!t) {
    return SetAppError(req, resp, 404, "app.user_access_token.get_by_id.app_error",
                       "Unable to get user access token.");
  }
  if (t->user_id != caller.id && !caller.admin) return SetForbidden(req, resp);
  resp->body = TokenJson(*t, false);
}

void UsersRoutes::RevokeToken(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  auto obj = ParseObject(req.body);
  bool bad = false;
  std::string token_id;
  if (!obj || !ReadString(obj, "token_id", &token_id, &bad) || token_id.empty()) {
    return SetInvalidBody(req, resp, "token_id");
  }
  std::unique_lock lock(store_->mu());
  const TokenRecord* t = store_->FindTokenById(token_id);
  if (!t) {
    return SetAppError(req, resp, 404, "app.user_access_token.get_by_id.app_error",
                       "Unable to get user access token.");
  }
  if (t->user_id != caller.id && !caller.admin) return SetForbidden(req, resp);
  store_->RevokeToken(token_id);
  SetStatusOk(resp);
}

}  // namespace mmemu
