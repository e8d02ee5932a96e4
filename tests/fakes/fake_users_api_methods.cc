// FakeUsersApi: the UsersApi methods. Every method: count, inject faults, apply the rules.
#include <algorithm>
#include <cctype>
#include <set>

#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/fake_users_api_internal.h"

namespace rostersync::testing {
namespace {

using fake_internal::Http;

bool IsOAuth(const std::string& service) {
  return service == "gitlab" || service == "google" || service == "office365" ||
         service == "openid";
}

Status NotFoundUser(const std::string& what) {
  return Http(Status::NotFound("user " + what + " not found"), 404,
              "app.user.missing_account.const");
}

Status Unknown(const std::string& method) {
  return Status::OutcomeUnknown(method + ": connection reset after the request was sent");
}

}  // namespace

#define RS_FAULT(method, arg, write)                     \
  std::lock_guard<std::mutex> lock(mu_);                 \
  if (auto fault = Enter(method, arg, write)) return *fault

Result<User> FakeUsersApi::GetMe() {
  RS_FAULT("GetMe", "me", false);
  return Sanitized(users_.at("me"), false);
}

Result<std::vector<User>> FakeUsersApi::ListUsers(const ListUsersQuery& query) {
  RS_FAULT("ListUsers", "", false);
  if (query.active_only && query.inactive_only) {
    return Http(Status::Invalid("active and inactive together"), 400, "api.user.get_users");
  }
  std::vector<const Stored*> all;  // sorted by username, like the server
  for (const auto& [id, s] : users_) {
    if (hidden_.count(id) > 0) continue;
    if (query.active_only && !s.user.active()) continue;
    if (query.inactive_only && s.user.active()) continue;
    if (!query.role.empty() && s.user.roles.find(query.role) == std::string::npos) continue;
    all.push_back(&s);
  }
  std::sort(all.begin(), all.end(),
            [](const Stored* a, const Stored* b) { return a->user.username < b->user.username; });
  int per_page = query.per_page < 0 ? 60 : std::min(query.per_page, 200);
  std::vector<User> page;
  size_t start = static_cast<size_t>(std::max(query.page, 0)) * per_page;
  for (size_t i = start; i < all.size() && page.size() < static_cast<size_t>(per_page); ++i) {
    page.push_back(Sanitized(*all[i], true));
  }
  return page;
}

Result<ServerCapabilities> FakeUsersApi::GetServerCapabilities() {
  RS_FAULT("GetServerCapabilities", "", false);
  return capabilities_;
}

Result<std::vector<User>> FakeUsersApi::GetUsersByIds(const std::vector<std::string>& ids) {
  RS_FAULT("GetUsersByIds", "", false);
  if (ids.empty()) return Http(Status::Invalid("no user ids"), 400, "api.context.invalid_body_param");
  std::vector<User> out;
  for (const std::string& id : ids) {
    Stored* s = Find(id);
    if (s != nullptr) out.push_back(Sanitized(*s, true));
  }
  return out;
}

Result<std::vector<User>> FakeUsersApi::GetUsersChangedSince(const std::vector<std::string>& ids,
                                                             int64_t since_ms) {
  RS_FAULT("GetUsersChangedSince", "", false);
  if (ids.empty()) {
    return Http(Status::Invalid("no user ids"), 400, "api.context.invalid_body_param");
  }
  std::vector<User> out;
  std::set<std::string> seen;  // the server removes duplicate ids
  for (const std::string& id : ids) {
    Stored* s = Find(id);
    if (s != nullptr && s->user.update_at > since_ms && seen.insert(id).second) {
      out.push_back(Sanitized(*s, true));
    }
  }
  return out;
}

std::optional<int64_t> FakeUsersApi::LastServerTimeMs() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!server_time_known_) return std::nullopt;
  return now_ms_ - now_ms_ % 1000;
}

void FakeUsersApi::set_server_time_known(bool known) {
  std::lock_guard<std::mutex> lock(mu_);
  server_time_known_ = known;
}

Result<std::vector<User>> FakeUsersApi::GetUsersByUsernames(
    const std::vector<std::string>& usernames) {
  RS_FAULT("GetUsersByUsernames", "", false);
  if (usernames.empty()) {
    return Http(Status::Invalid("no usernames"), 400, "api.context.invalid_body_param");
  }
  std::vector<User> out;
  for (const std::string& name : usernames) {
    for (const auto& [id, s] : users_) {
      if (s.user.username == Lower(name)) out.push_back(Sanitized(s, id != "me"));
    }
  }
  return out;
}

Result<std::vector<User>> FakeUsersApi::ListAllUsers() {
  RS_FAULT("ListAllUsers", "", false);
  std::vector<User> out;
  for (const auto& [id, s] : users_) {
    if (hidden_.count(id) == 0) out.push_back(Sanitized(s, true));
  }
  std::sort(out.begin(), out.end(),
            [](const User& a, const User& b) { return a.username < b.username; });
  return out;
}

Result<User> FakeUsersApi::GetUser(const std::string& user_id) {
  RS_FAULT("GetUser", user_id, false);
  Stored* s = Find(user_id);
  if (s == nullptr) return NotFoundUser(user_id);
  return Sanitized(*s, user_id != "me");
}

Result<User> FakeUsersApi::GetUserByUsername(const std::string& username) {
  RS_FAULT("GetUserByUsername", username, false);
  for (const auto& [id, s] : users_) {
    if (s.user.username == Lower(username)) return Sanitized(s, id != "me");
  }
  return NotFoundUser(username);
}

Result<User> FakeUsersApi::GetUserByEmail(const std::string& email) {
  RS_FAULT("GetUserByEmail", email, false);
  for (const auto& [id, s] : users_) {
    if (s.user.email == Lower(email)) return Sanitized(s, true);
  }
  return NotFoundUser(email);
}

Result<User> FakeUsersApi::CreateUser(const NewUser& in) {
  RS_FAULT("CreateUser", in.username, true);
  User u;
  u.username = Lower(in.username);  // PreSave normalizes
  u.email = Lower(in.email);
  if (Status s = CheckUsernameEmail(u.username, u.email, ""); !s.ok()) return s;
  if (!in.auth_data.empty() && in.auth_service.empty()) {
    return Http(Status::Invalid("auth_data without auth_service"), 400,
                "model.user.is_valid.auth_data_type.app_error");
  }
  if (!in.auth_data.empty() && !in.password.empty()) {
    return Http(Status::Invalid("auth_data together with a password"), 400,
                "model.user.is_valid.auth_data_pwd.app_error");
  }
  if (in.auth_service.empty() && (in.password.size() < 8 || in.password.size() > 72)) {
    return Http(Status::Invalid("password must be 8 to 72 bytes"), 400,
                "model.user.is_valid.pwd.app_error");
  }
  if (in.auth_service.empty() && capabilities_.known) {
    if (Status s = fake_internal::CheckPassword(in.password, capabilities_.password); !s.ok()) {
      return s;
    }
  }
  if (!in.auth_data.empty()) {
    for (const auto& [id, s] : users_) {
      if (s.auth_data == in.auth_data && s.user.auth_service == in.auth_service) {
        return Http(Status::Transient("could not save the user"), 500, "app.user.save.app_error");
      }
    }
  }
  for (const auto* f : {&in.first_name, &in.last_name, &in.nickname}) {
    if (f->size() > 64) return Http(Status::Invalid("name too long"), 400, "model.user.is_valid");
  }
  u.id = "u" + std::to_string(next_id_++);
  u.create_at = u.update_at = now_ms_;
  u.first_name = in.first_name;
  u.last_name = in.last_name;
  u.nickname = in.nickname;
  u.position = in.position;
  u.locale = in.locale.empty() ? "en" : in.locale;
  if (capabilities_.known) {  // a realistic server: names cleaned, unsupported locales replaced
    u.locale = fake_internal::SupportedLocaleOr(u.locale, "en");
    for (std::string* f : {&u.first_name, &u.last_name, &u.nickname}) {
      *f = fake_internal::SanitizeUnicode(*f);
    }
  }
  u.auth_service = in.auth_service;
  u.email_verified = in.email_verified.value_or(false);
  u.roles = "system_user";  // roles in the body are not honoured
  u.props = in.props;
  u.notify_props = in.notify_props;
  Stored& s = users_[u.id];
  s.user = u;
  s.auth_data = in.auth_data;
  s.password = in.password;
  if (TakeOutcomeUnknown("CreateUser")) return Unknown("CreateUser");
  return Sanitized(s, false);
}

Result<User> FakeUsersApi::PatchUser(const std::string& user_id, const UserPatch& p) {
  RS_FAULT("PatchUser", user_id, true);
  Stored* s = Find(user_id);
  if (s == nullptr) return NotFoundUser(user_id);
  User u = s->user;
  if (Status st = ProviderOwned(u, p); !st.ok()) return st;
  if (p.username) {
    if (check_provider_attributes_ && !u.auth_service.empty() && Lower(*p.username) != u.username) {
      return Http(Status::Conflict("username is set by the login provider"), 409,
                  "api.user.patch_user.login_provider_attribute_set.app_error");
    }
    u.username = Lower(*p.username);
  }
  if (p.email && Lower(*p.email) != u.email) {
    if (u.auth_service == "ldap") {
      return Http(Status::Invalid("cannot change an LDAP user's email"), 400,
                  "app.user.update.find.app_error");
    }
    if (!IsOAuth(u.auth_service) && capabilities_.require_email_verification) {
      s->pending_email = Lower(*p.email);  // the old email stays; a link goes to the new one
    } else if (!IsOAuth(u.auth_service)) {
      u.email = Lower(*p.email);
      u.email_verified = false;
    }  // OAuth: silently ignored
  }
  if (Status st = CheckUsernameEmail(u.username, u.email, user_id); !st.ok()) return st;
  if (p.first_name) u.first_name = *p.first_name;
  if (p.last_name) u.last_name = *p.last_name;
  if (p.nickname) u.nickname = *p.nickname;
  if (capabilities_.known) {
    for (std::string* f : {&u.first_name, &u.last_name, &u.nickname}) {
      *f = fake_internal::SanitizeUnicode(*f);
    }
  }
  if (p.position) u.position = *p.position;
  if (p.locale) u.locale = *p.locale;
  if (p.props) u.props = *p.props;
  if (p.notify_props) u.notify_props = *p.notify_props;
  if (p.timezone) u.timezone = *p.timezone;
  u.update_at = now_ms_;
  s->user = u;
  if (TakeOutcomeUnknown("PatchUser")) return Unknown("PatchUser");
  return Sanitized(*s, user_id != "me");
}

Status FakeUsersApi::DeactivateUser(const std::string& user_id) {
  RS_FAULT("DeactivateUser", user_id, true);
  Stored* s = Find(user_id);
  if (s == nullptr) return NotFoundUser(user_id);
  s->user.delete_at = now_ms_;  // sessions are revoked by the server
  s->user.update_at = now_ms_;
  if (TakeOutcomeUnknown("DeactivateUser")) return Unknown("DeactivateUser");
  return Status::Ok();
}

Status FakeUsersApi::SetUserActive(const std::string& user_id, bool active) {
  RS_FAULT("SetUserActive", user_id, true);
  Stored* s = Find(user_id);
  if (s == nullptr) return NotFoundUser(user_id);
  if (active && s->user.HasRole("system_guest") && capabilities_.known &&
      !capabilities_.guest_accounts_enabled) {
    return Http(Status::Unauthorized("guest accounts are disabled"), 401,
                "api.user.update_active.cannot_enable_guest_when_guest_feature_is_disabled.app_error");
  }
  s->user.delete_at = active ? 0 : now_ms_;
  s->user.update_at = now_ms_;
  if (TakeOutcomeUnknown("SetUserActive")) return Unknown("SetUserActive");
  return Status::Ok();
}

Status FakeUsersApi::UpdateUserRoles(const std::string& user_id, const std::string& roles) {
  RS_FAULT("UpdateUserRoles", user_id, true);
  Stored* s = Find(user_id);
  if (s == nullptr) return NotFoundUser(user_id);
  if (!ValidRolesForFake(roles)) {
    return Http(Status::Invalid("invalid roles: " + roles), 400,
                "model.user.is_valid.roles.app_error");
  }
  s->user.roles = roles;
  s->user.update_at = now_ms_;
  if (TakeOutcomeUnknown("UpdateUserRoles")) return Unknown("UpdateUserRoles");
  return Status::Ok();
}

Status FakeUsersApi::DemoteUserToGuest(const std::string& user_id) {
  RS_FAULT("DemoteUserToGuest", user_id, true);
  Stored* s = Find(user_id);
  if (s == nullptr) return NotFoundUser(user_id);
  if (auto refused = fake_internal::DemoteRefused(capabilities_)) return *refused;
  if (s->user.HasRole("system_guest")) {
    return Http(Status::NotImplemented("already a guest"), 501, "api.user.demote_user_to_guest");
  }
  s->user.roles = "system_guest";
  s->user.update_at = now_ms_;
  return Status::Ok();
}

Status FakeUsersApi::PromoteGuestToUser(const std::string& user_id) {
  RS_FAULT("PromoteGuestToUser", user_id, true);
  Stored* s = Find(user_id);
  if (s == nullptr) return NotFoundUser(user_id);
  if (!s->user.HasRole("system_guest")) {
    return Http(Status::NotImplemented("not a guest"), 501, "api.user.promote_guest_to_user");
  }
  s->user.roles = "system_user";
  s->user.update_at = now_ms_;
  return Status::Ok();
}

Status FakeUsersApi::UpdateUserAuth(const std::string& user_id, const std::string& auth_service,
                                    const std::string& auth_data) {
  RS_FAULT("UpdateUserAuth", user_id, true);
  if (auth_service.empty() || auth_data.empty()) {
    return Http(Status::Invalid("auth_service and auth_data are required"), 400,
                "api.context.invalid_body_param.app_error");
  }
  for (const auto& [id, other] : users_) {
    if (id != user_id && other.auth_data == auth_data && other.user.auth_service == auth_service) {
      return Http(Status::Invalid("auth_data taken"), 400, "app.user.update_auth.app_error");
    }
  }
  Stored* s = Find(user_id);
  if (s == nullptr) return Status::Ok();  // the server's UPDATE touches 0 rows and answers 200
  s->user.auth_service = auth_service;
  s->user.update_at = now_ms_;
  s->auth_data = auth_data;
  s->password.clear();
  return Status::Ok();
}

Status FakeUsersApi::VerifyUserEmail(const std::string& user_id) {
  RS_FAULT("VerifyUserEmail", user_id, true);
  Stored* s = Find(user_id);
  if (s == nullptr) return NotFoundUser(user_id);
  s->user.email_verified = true;
  s->user.update_at = now_ms_;
  return Status::Ok();
}

Status FakeUsersApi::SendPasswordResetEmail(const std::string& email) {
  RS_FAULT("SendPasswordResetEmail", email, true);
  resets_.push_back(Lower(email));
  return Status::Ok();
}

Result<std::vector<UserAccessToken>> FakeUsersApi::GetUserAccessTokens(
    const std::string& user_id) {
  RS_FAULT("GetUserAccessTokens", user_id, false);
  std::vector<UserAccessToken> out;
  for (const auto& [id, t] : tokens_) {
    if (t.user_id != user_id) continue;
    UserAccessToken listed = t;
    listed.token.clear();  // lists never carry the token itself
    out.push_back(listed);
  }
  return out;
}

Status FakeUsersApi::RevokeUserAccessToken(const std::string& token_id) {
  RS_FAULT("RevokeUserAccessToken", token_id, true);
  if (tokens_.erase(token_id) == 0) {
    return Http(Status::NotFound("token not found"), 404, "app.user_access_token.get");
  }
  return Status::Ok();
}

#undef RS_FAULT

}  // namespace rostersync::testing
