// Writing /api/v4/users handlers: create, patch, full update, deactivate, (de)activate.
#include <mutex>
#include <shared_mutex>

#include "tests/emulator/users_routes.h"

namespace mmemu {

namespace {

bool ReadBool(const Poco::JSON::Object::Ptr& obj, const std::string& key, bool* out) {
  if (!obj->has(key)) return false;
  Poco::Dynamic::Var v = obj->get(key);
  if (!v.isBoolean()) return false;
  *out = v.convert<bool>();
  return true;
}

// Applies the profile fields that both patch and full update accept. Returns false on a
// field of the wrong JSON type. With `reset_missing`, omitted fields go to their defaults.
bool ApplyProfileFields(const Poco::JSON::Object::Ptr& obj, bool reset_missing, EmuUser* u) {
  bool bad = false;
  struct Field {
    const char* key;
    std::string* dst;
  } fields[] = {{"username", &u->username},   {"email", &u->email},
                {"nickname", &u->nickname},   {"first_name", &u->first_name},
                {"last_name", &u->last_name}, {"position", &u->position},
                {"locale", &u->locale}};
  for (auto& f : fields) {
    if (!ReadString(obj, f.key, f.dst, &bad) && reset_missing) f.dst->clear();
  }
  if (!ReadStringMap(obj, "props", &u->props, &bad) && reset_missing) u->props.clear();
  if (!ReadStringMap(obj, "notify_props", &u->notify_props, &bad) && reset_missing) {
    u->notify_props.clear();
  }
  if (!ReadStringMap(obj, "timezone", &u->timezone, &bad) && reset_missing) u->timezone.clear();
  return !bad;
}

void SetSaveError(const ApiRequest& req, ApiResponse* resp, const std::string& id) {
  SetAppError(req, resp, 400, id, "Invalid user.", id);
}

}  // namespace

void UsersRoutes::CreateUser(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  auto obj = ParseObject(req.body);
  if (!obj) return SetInvalidBody(req, resp, "user");
  if (!caller.admin) {
    return SetAppError(req, resp, 403, "api.user.create_user.no_open_server",
                       "This server does not allow open signups.  Please speak with your "
                       "Administrator to receive an invitation.");
  }
  auto user = std::make_unique<EmuUser>();
  bool bad = false;
  std::string id;
  if (ReadString(obj, "id", &id, &bad) && !id.empty()) {
    return SetAppError(req, resp, 400, "app.user.save.existing.app_error",
                       "Must call update for existing user.");
  }
  if (!ApplyProfileFields(obj, false, user.get())) return SetInvalidBody(req, resp, "user");
  ReadString(obj, "password", &user->password, &bad);
  ReadString(obj, "auth_data", &user->auth_data, &bad);
  ReadString(obj, "auth_service", &user->auth_service, &bad);
  if (bad) return SetInvalidBody(req, resp, "user");
  bool verified = false;
  if (ReadBool(obj, "email_verified", &verified)) user->email_verified = verified;
  if (user->auth_service == "email") user->auth_service.clear();
  user->username = ToLower(user->username);
  user->email = ToLower(user->email);
  if (user->locale.empty()) user->locale = "en";
  if (user->notify_props.empty()) user->notify_props = DefaultNotifyProps(user->username);
  if (user->timezone.empty()) user->timezone = DefaultTimezone();

  std::unique_lock lock(store_->mu());
  user->id = store_->NewId();
  user->create_at = user->update_at = NowMs();
  std::string err = ValidateUser(*user);
  if (err.empty() && user->auth_service.empty()) err = ValidatePassword(user->password);
  if (!err.empty()) return SetSaveError(req, resp, err);
  if (!user->password.empty()) user->last_password_update = user->create_at;
  if (store_->FindByUsername(user->username)) {
    return SetAppError(req, resp, 400, "app.user.save.username_exists.app_error",
                       "An account with that username already exists.");
  }
  if (store_->FindByEmail(user->email)) {
    return SetAppError(req, resp, 400, "app.user.save.email_exists.app_error",
                       "An account with that email already exists.");
  }
  if (store_->FindByAuthData(user->auth_data)) {
    return SetAppError(req, resp, 500, "app.user.save.app_error", "Unable to save the account.",
                       "duplicate key value violates unique constraint \"users_authdata_key\"");
  }
  EmuUser* stored = store_->Insert(std::move(user));
  resp->status = 201;
  resp->body = UserToJson(*stored, UserView::kSanitized);
}

bool UsersRoutes::SaveUpdate(const ApiRequest& req, EmuUser* user, EmuUser after,
                             ApiResponse* resp) {
  after.username = ToLower(after.username);
  after.email = ToLower(after.email);
  if (after.notify_props.empty()) after.notify_props = DefaultNotifyProps(after.username);
  std::string err = ValidateUser(after);
  if (!err.empty()) {
    SetSaveError(req, resp, err);
    return false;
  }
  if (after.email != user->email) {
    if (user->IsOAuth()) {
      after.email = user->email;  // the identity provider owns it; silently kept
    } else if (user->IsLdap()) {
      SetAppError(req, resp, 400, "app.user.update.find.app_error",
                  "Unable to find the existing account to update.");
      return false;
    } else {
      after.email_verified = false;
    }
  }
  EmuUser* other = store_->FindByUsername(after.username);
  if (other && other != user) {
    SetAppError(req, resp, 400, "app.user.save.username_exists.app_error",
                "An account with that username already exists.");
    return false;
  }
  other = store_->FindByEmail(after.email);
  if (other && other != user) {
    SetAppError(req, resp, 400, "app.user.save.email_exists.app_error",
                "An account with that email already exists.");
    return false;
  }
  after.update_at = std::max(NowMs(), user->update_at + 1);
  EmuUser before = *user;
  *user = std::move(after);
  store_->Updated(user, before);
  resp->status = 200;
  resp->body = UserToJson(*user, UserView::kSanitized);
  return true;
}

void UsersRoutes::PatchUser(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  auto obj = ParseObject(req.body);
  if (!obj) return SetInvalidBody(req, resp, "user");
  std::string id = PathUserId(req, caller);
  if (id != caller.id && !caller.admin) return SetForbidden(req, resp);
  std::unique_lock lock(store_->mu());
  EmuUser* user = store_->FindById(id);
  if (!user) return SetUserNotFound(req, resp);
  EmuUser after = *user;
  if (!ApplyProfileFields(obj, false, &after)) return SetInvalidBody(req, resp, "user");
  if (!user->auth_service.empty() && ToLower(after.username) != user->username) {
    return SetAppError(req, resp, 409, "api.user.patch_user.login_provider_attribute_set.app_error",
                       "Field must be set through the user's login provider.", "field=username");
  }
  SaveUpdate(req, user, std::move(after), resp);
}

void UsersRoutes::UpdateUser(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  auto obj = ParseObject(req.body);
  if (!obj) return SetInvalidBody(req, resp, "user");
  std::string id = PathUserId(req, caller);
  bool bad = false;
  std::string body_id;
  ReadString(obj, "id", &body_id, &bad);
  if (bad || body_id != id) return SetInvalidParam(req, resp, "user_id");
  if (id != caller.id && !caller.admin) return SetForbidden(req, resp);
  long long create_at = 0;
  if (obj->has("create_at")) {
    try {
      create_at = obj->getValue<long long>("create_at");
    } catch (const std::exception&) {
      return SetInvalidBody(req, resp, "user");
    }
  }
  if (create_at == 0) return SetSaveError(req, resp, "model.user.is_valid.create_at.app_error");
  std::unique_lock lock(store_->mu());
  EmuUser* user = store_->FindById(id);
  if (!user) return SetUserNotFound(req, resp);
  EmuUser after = *user;
  if (!ApplyProfileFields(obj, true, &after)) return SetInvalidBody(req, resp, "user");
  if (!user->auth_service.empty() && ToLower(after.username) != user->username) {
    return SetAppError(req, resp, 409, "api.user.patch_user.login_provider_attribute_set.app_error",
                       "Field must be set through the user's login provider.", "field=username");
  }
  SaveUpdate(req, user, std::move(after), resp);
}

void UsersRoutes::DeleteUser(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  std::string id = PathUserId(req, caller);
  bool self = id == caller.id;
  if (!self && !caller.admin) return SetForbidden(req, resp);
  std::unique_lock lock(store_->mu());
  EmuUser* user = store_->FindById(id);
  if (!user) return SetUserNotFound(req, resp);
  auto perm = req.query.find("permanent");
  if (perm != req.query.end() && perm->second == "true") {
    if (!options_.allow_permanent_delete) {
      return SetAppError(req, resp, 401, "api.user.delete_user.not_enabled.app_error",
                         "Permanent user deletion feature is not enabled. Please contact your "
                         "System Administrator.");
    }
    store_->Erase(id);
    return SetStatusOk(resp);
  }
  if (self) {
    return SetAppError(req, resp, 401, "api.user.update_active.not_enable.app_error",
                       "You cannot deactivate yourself because this feature is not enabled.");
  }
  EmuUser before = *user;
  int64_t now = NowMs();
  if (user->IsActive()) user->delete_at = now;
  user->update_at = std::max(now, user->update_at + 1);
  store_->Updated(user, before);
  store_->RevokeSessions(id);
  SetStatusOk(resp);
}

void UsersRoutes::UpdateActive(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  auto obj = ParseObject(req.body);
  bool active = false;
  if (!obj || !ReadBool(obj, "active", &active)) return SetInvalidBody(req, resp, "active");
  std::string id = PathUserId(req, caller);
  if (id == caller.id) {
    return SetAppError(req, resp, 401, "api.user.update_active.not_enable.app_error",
                       "You cannot deactivate yourself because this feature is not enabled.");
  }
  if (!caller.admin) return SetForbidden(req, resp);
  std::unique_lock lock(store_->mu());
  EmuUser* user = store_->FindById(id);
  if (!user) return SetUserNotFound(req, resp);
  EmuUser before = *user;
  int64_t now = NowMs();
  user->delete_at = active ? 0 : (user->IsActive() ? now : user->delete_at);
  user->update_at = std::max(now, user->update_at + 1);
  store_->Updated(user, before);
  if (!active) store_->RevokeSessions(id);
  SetStatusOk(resp);
}

}  // namespace mmemu
