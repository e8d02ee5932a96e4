#include "emulator/users_routes.h"

#include <Poco/JSON/Parser.h>

#include <mutex>
#include <sstream>

#include "emulator/json_writer.h"

namespace mmemu {

namespace {
std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  std::string seg;
  std::istringstream in(path);
  while (std::getline(in, seg, '/')) {
    if (!seg.empty()) out.push_back(seg);
  }
  return out;
}
}  // namespace

UsersRoutes::UsersRoutes(UserStore* store, const Modes* modes) : store_(store), modes_(modes) {
  // Literal routes first: "/users/stats" must win over "/users/{id}".
  Add("GET", "/api/v4/users", &UsersRoutes::GetUsers);
  Add("POST", "/api/v4/users", &UsersRoutes::CreateUser, false);
  Add("GET", "/api/v4/users/stats", &UsersRoutes::GetStats);
  Add("POST", "/api/v4/users/usernames", &UsersRoutes::GetUsersByUsernames);
  Add("POST", "/api/v4/users/ids", &UsersRoutes::GetUsersByIds);
  Add("POST", "/api/v4/users/search", &UsersRoutes::SearchUsers);
  Add("GET", "/api/v4/users/tokens", &UsersRoutes::GetAllTokens);
  Add("POST", "/api/v4/users/tokens/revoke", &UsersRoutes::RevokeToken);
  Add("GET", "/api/v4/users/tokens/{token_id}", &UsersRoutes::GetToken);
  Add("POST", "/api/v4/users/password/reset/send", &UsersRoutes::SendPasswordReset, false);
  Add("POST", "/api/v4/users/migrate_auth/ldap", &UsersRoutes::MigrateLdap);
  Add("POST", "/api/v4/users/migrate_auth/saml", &UsersRoutes::MigrateSaml);
  Add("GET", "/api/v4/users/username/{username}", &UsersRoutes::GetUserByUsername);
  Add("GET", "/api/v4/users/email/{email}", &UsersRoutes::GetUserByEmail);
  Add("GET", "/api/v4/users/{id}", &UsersRoutes::GetUser);
  Add("PUT", "/api/v4/users/{id}", &UsersRoutes::UpdateUser);
  Add("DELETE", "/api/v4/users/{id}", &UsersRoutes::DeleteUser);
  Add("PUT", "/api/v4/users/{id}/patch", &UsersRoutes::PatchUser);
  Add("PUT", "/api/v4/users/{id}/active", &UsersRoutes::UpdateActive);
  Add("PUT", "/api/v4/users/{id}/roles", &UsersRoutes::UpdateRoles);
  Add("POST", "/api/v4/users/{id}/demote", &UsersRoutes::Demote);
  Add("POST", "/api/v4/users/{id}/promote", &UsersRoutes::Promote);
  Add("PUT", "/api/v4/users/{id}/auth", &UsersRoutes::UpdateAuth);
  Add("POST", "/api/v4/users/{id}/email/verify/member", &UsersRoutes::VerifyEmail);
  Add("GET", "/api/v4/users/{id}/sessions", &UsersRoutes::GetSessions);
  Add("POST", "/api/v4/users/{id}/sessions/revoke/all", &UsersRoutes::RevokeAllSessions);
  Add("GET", "/api/v4/users/{id}/tokens", &UsersRoutes::GetUserTokens);
  Add("POST", "/api/v4/users/{id}/tokens", &UsersRoutes::CreateToken);
  Add("GET", "/api/v4/users/{id}/image", &UsersRoutes::GetImage);
  Add("GET", "/api/v4/users/{id}/image/default", &UsersRoutes::GetImage);
  Add("GET", "/api/v4/teams", &UsersRoutes::GetTeams);
  Add("GET", "/api/v4/teams/name/{name}", &UsersRoutes::GetTeamByName);
  Add("GET", "/api/v4/teams/{team_id}/members", &UsersRoutes::GetTeamMembers);
  Add("POST", "/api/v4/teams/{team_id}/members", &UsersRoutes::AddTeamMember);
  Add("POST", "/api/v4/teams/{team_id}/members/batch", &UsersRoutes::AddTeamMembersBatch);
  Add("POST", "/api/v4/teams/{team_id}/members/ids", &UsersRoutes::GetTeamMembersByIds);
  Add("GET", "/api/v4/teams/{team_id}/members/{user_id}", &UsersRoutes::GetTeamMember);
  Add("DELETE", "/api/v4/teams/{team_id}/members/{user_id}", &UsersRoutes::RemoveTeamMember);
  Add("GET", "/api/v4/teams/{team_id}/channels/name/{channel_name}",
      &UsersRoutes::GetChannelByName);
  Add("POST", "/api/v4/channels/{channel_id}/members", &UsersRoutes::AddChannelMember);
  Add("POST", "/api/v4/channels/{channel_id}/members/ids", &UsersRoutes::GetChannelMembersByIds);
  Add("GET", "/api/v4/channels/{channel_id}/members/{user_id}", &UsersRoutes::GetChannelMember);
  Add("DELETE", "/api/v4/channels/{channel_id}/members/{user_id}",
      &UsersRoutes::RemoveChannelMember);
  Add("GET", "/api/v4/config/client", &UsersRoutes::GetClientConfig);
  Add("GET", "/api/v4/license/client", &UsersRoutes::GetClientLicense);
}

void UsersRoutes::Add(const std::string& method, const std::string& pattern, Handler fn,
                      bool needs_session) {
  routes_.push_back(Route{method, SplitPath(pattern), method + " " + pattern, fn, needs_session});
}

const UsersRoutes::Route* UsersRoutes::Match(const std::string& method, const std::string& path,
                                             std::vector<std::string>* params) const {
  std::vector<std::string> segs = SplitPath(path);
  for (const auto& r : routes_) {
    if (r.method != method || r.segments.size() != segs.size()) continue;
    bool ok = true;
    std::vector<std::string> found;
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      if (r.segments[i].front() == '{') {
        found.push_back(segs[i]);
      } else {
        ok = r.segments[i] == segs[i];
      }
    }
    if (ok) {
      if (params) *params = std::move(found);
      return &r;
    }
  }
  return nullptr;
}

std::string UsersRoutes::RouteName(const std::string& method, const std::string& path) const {
  const Route* r = Match(method, path, nullptr);
  return r ? r->name : method + " unmatched";
}

Caller UsersRoutes::Authenticate(const std::string& token) {
  Caller caller;
  if (token.empty()) return caller;
  std::unique_lock lock(store_->mu());
  store_->set_replica_lag_ms(modes_->ReplicaLagMs());
  EmuUser* u = store_->Authenticate(token);
  if (!u) return caller;
  caller.ok = true;
  caller.id = u->id;
  caller.admin = u->IsSystemAdmin();
  return caller;
}

void UsersRoutes::Handle(ApiRequest* req, ApiResponse* resp) {
  const Route* r = Match(req->method, req->path, &req->params);
  if (!r) {
    SetAppError(*req, resp, 404, "api.context.404.app_error", "Sorry, we could not find the page.",
                "There doesn't appear to be an api call for the url='" + req->path + "'.");
    return;
  }
  Caller caller = Authenticate(req->token);
  if (r->needs_session && !caller.ok) {
    SetAppError(*req, resp, 401, "api.context.session_expired.app_error",
                "Invalid or expired session, please login again.", "token_error");
    return;
  }
  (this->*(r->fn))(*req, caller, resp);
}

Poco::JSON::Object::Ptr ParseObject(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(body);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
  }
  return nullptr;
}

bool ReadString(const Poco::JSON::Object::Ptr& obj, const std::string& key, std::string* out,
                bool* bad) {
  if (!obj->has(key)) return false;
  Poco::Dynamic::Var v = obj->get(key);
  if (v.isEmpty()) {
    out->clear();
    return true;
  }
  if (!v.isString()) {
    *bad = true;
    return false;
  }
  *out = v.convert<std::string>();
  return true;
}

bool ReadStringMap(const Poco::JSON::Object::Ptr& obj, const std::string& key, StringMap* out,
                   bool* bad) {
  if (!obj->has(key)) return false;
  Poco::Dynamic::Var v = obj->get(key);
  if (v.isEmpty()) {
    out->clear();
    return true;
  }
  if (v.type() != typeid(Poco::JSON::Object::Ptr)) {
    *bad = true;
    return false;
  }
  auto m = v.extract<Poco::JSON::Object::Ptr>();
  StringMap result;
  for (const auto& [k, val] : *m) {
    if (!val.isString()) {  // Go decodes a StringMap only from string values
      *bad = true;
      return false;
    }
    result[k] = val.convert<std::string>();
  }
  *out = std::move(result);
  return true;
}

void SetInvalidParam(const ApiRequest& req, ApiResponse* resp, const std::string& param) {
  SetAppError(req, resp, 400, "api.context.invalid_param.app_error",
              "Invalid " + param + " parameter.");
}

void SetInvalidBody(const ApiRequest& req, ApiResponse* resp, const std::string& param) {
  SetAppError(req, resp, 400, "api.context.invalid_body_param.app_error",
              "Invalid or missing " + param + " in request body.");
}

void SetForbidden(const ApiRequest& req, ApiResponse* resp) {
  SetAppError(req, resp, 403, "api.context.permissions.app_error",
              "You do not have the appropriate permissions.");
}

void SetUserNotFound(const ApiRequest& req, ApiResponse* resp) {
  SetAppError(req, resp, 404, "app.user.missing_account.const", "Unable to find the user.",
              "resource: User id: " + (req.params.empty() ? std::string() : req.params[0]));
}

std::string PathUserId(const ApiRequest& req, const Caller& caller) {
  if (req.params.empty()) return "";
  return req.params[0] == "me" ? caller.id : req.params[0];
}

void BumpAndSave(UserStore* store, EmuUser* user, const EmuUser& before) {
  user->update_at = std::max(NowMs(), user->update_at + 1);
  store->Updated(user, before);
}

std::string TokenJson(const TokenRecord& t, bool with_secret) {
  JsonWriter w;
  w.BeginObject().Field("id", t.id);
  if (with_secret) w.Field("token", t.token);
  w.Field("user_id", t.user_id).Field("description", t.description).Field("is_active", t.is_active);
  w.EndObject();
  return w.Take();
}

}  // namespace mmemu
