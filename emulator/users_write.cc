// Writing /api/v4/users handlers: create, patch, full update, deactivate, (de)activate.
#include <mutex>
#include <set>
#include <shared_mutex>

#include "emulator/users_routes.h"

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

// PreSave/PreUpdate: SanitizeUnicode on the username and the names.
void Sanitize(EmuUser* u) {
  for (std::string* f : {&u->username, &u->first_name, &u->last_name, &u->nickname}) {
    *f = SanitizeUnicode(*f);
  }
}

void SetExists(const ApiRequest& req, ApiResponse* resp, bool username) {
  if (username) {
    SetAppError(req, resp, 400, "app.user.save.username_exists.app_error",
                "An account with that username already exists.");
  } else {
    SetAppError(req, resp, 400, "app.user.save.email_exists.app_error",
                "An account with that email already exists.");
  }
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
  const ServerModes modes = modes_->Get();
  if (modes.sanitize_unicode) Sanitize(user.get());
  user->username = ToLower(user->username);
  user->email = ToLower(user->email);
  if (user->locale.empty()) user->locale = "en";
  if (modes.replace_unsupported_locale && !IsSupportedLocale(user->locale)) user->locale = "en";
  if (user->notify_props.empty()) user->notify_props = DefaultNotifyProps(user->username);
  if (user->timezone.empty()) user->timezone = DefaultTimezone();

  std::unique_lock lock(store_->mu());
  user->id = store_->NewId();
  user->create_at = user->update_at = NowMs();
  // users.createUser checks the password (email users only) before the store's IsValid.
  std::string err = user->auth_service.empty() ? ValidatePassword(user->password, modes) : "";
  if (err.empty()) err = ValidateUser(*user);
  if (!err.empty()) return SetSaveError(req, resp, err);
  if (!user->password.empty()) user->last_password_update = user->create_at;
  if (store_->FindByUsername(user->username)) return SetExists(req, resp, true);
  if (store_->FindByEmail(user->email)) return SetExists(req, resp, false);
  if (store_->FindByAuthData(user->auth_data)) {
    return SetAppError(req, resp, 500, "app.user.save.app_error", "Unable to save the account.",
                       "duplicate key value violates unique constraint \"users_authdata_key\"");
  }
  EmuUser* stored = store_->Insert(std::move(user));
  store_->NoteCreated(stored->id);
  resp->status = 201;
  resp->body = UserToJson(*stored, UserView::kSanitized);
}

bool UsersRoutes::SaveUpdate(const ApiRequest& req, EmuUser* user, EmuUser after,
                             ApiResponse* resp) {
  const ServerModes modes = modes_->Get();
  if (modes.sanitize_unicode) Sanitize(&after);
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
    } else if (modes.require_email_verification && !user->is_bot) {
      // UpdateUser keeps the old email and mails a link to the new one; the answer shows
      // the old email. The link (POST /__emu/users/{id}/confirm_email) applies it.
      if (store_->FindByEmail(after.email)) {
        SetExists(req, resp, false);
        return false;
      }
      after.pending_email = after.email;
      after.email = user->email;
    } else {
      after.email_verified = false;
    }
  }
  EmuUser* other = store_->FindByUsername(after.username);
  if (other && other != user) {
    SetExists(req, resp, true);
    return false;
  }
  other = store_->FindByEmail(after.email);
  if (other && other != user) {
    SetExists(req, resp, false);
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

std::string UsersRoutes::ProviderConflict(const EmuUser& user, const EmuUser& after) const {
  // Any login provider owns the username.
  if (!user.auth_service.empty() && ToLower(after.username) != user.username) return "username";
  const ServerModes m = modes_->Get();
  if (!m.licensed || (user.auth_service != "saml" && !user.IsLdap())) return "";
  if (user.IsLdap() && ToLower(after.email) != user.email) return "email";
  const std::set<std::string>& owned = user.IsLdap() ? m.ldap_owned : m.saml_owned;
  struct Field {
    const char* name;
    const std::string& now;
    const std::string& then;
  } fields[] = {{"first_name", user.first_name, after.first_name},
                {"last_name", user.last_name, after.last_name},
                {"nickname", user.nickname, after.nickname},
                {"position", user.position, after.position}};
  for (const auto& f : fields) {
    if (owned.count(f.name) && f.now != f.then) return f.name;
  }
  return "";
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
  std::string conflict = ProviderConflict(*user, after);
  if (!conflict.empty()) {
    return SetAppError(req, resp, 409, "api.user.patch_user.login_provider_attribute_set.app_error",
                       "Field must be set through the user's login provider.", "field=" + conflict);
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
  std::string conflict = ProviderConflict(*user, after);
  if (!conflict.empty()) {
    return SetAppError(req, resp, 409, "api.user.patch_user.login_provider_attribute_set.app_error",
                       "Field must be set through the user's login provider.", "field=" + conflict);
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
    if (!modes_->Get().allow_permanent_delete) {
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
  if (active && !CheckReactivation(req, *user, resp)) return;
  EmuUser before = *user;
  int64_t now = NowMs();
  user->delete_at = active ? 0 : (user->IsActive() ? now : user->delete_at);
  user->update_at = std::max(now, user->update_at + 1);
  store_->Updated(user, before);
  if (!active) store_->RevokeSessions(id);
  SetStatusOk(resp);
}

}  // namespace mmemu
