// api::Client: login, passwords, MFA, sessions and personal access tokens. Secrets passed
// in (passwords, codes, tokens) go only into request bodies, never into a Status.
#include "api/client_internal.h"

namespace rostersync::api {

namespace {
const std::string kUsers = "/api/v4/users";
std::string UserPath(const std::string& id, const std::string& rest = "") {
  return kUsers + "/" + Seg(id) + rest;
}
}  // namespace

Result<User> Client::Login(const LoginRequest& request) {
  return CallJson<User>("POST", kUsers + "/login", kUsers + "/login", EncodeLoginRequest(request));
}

Status Client::LoginByCwsToken(const std::string& login_id, const std::string& cws_token) {
  // The server answers a successful login with a redirect into the web app.
  Status status = Call("POST", kUsers + "/login/cws", kUsers + "/login/cws",
              EncodeStringFields({{"login_id", login_id}, {"cws_token", cws_token}}))
                      .status();
  if (status.http_status() == 302) return Status::Ok();
  return status;
}

Result<StatusOK> Client::Logout() {
  return CallJson<StatusOK>("POST", kUsers + "/logout", kUsers + "/logout");
}

Result<StatusOK> Client::ResetPassword(const std::string& code, const std::string& new_password) {
  return CallJson<StatusOK>("POST", kUsers + "/password/reset", kUsers + "/password/reset",
                            EncodeStringFields({{"code", code}, {"new_password", new_password}}));
}

Result<StatusOK> Client::UpdateUserPassword(const std::string& user_id,
                                            const std::optional<std::string>& current_password,
                                            const std::string& new_password) {
  std::vector<std::pair<std::string, std::string>> fields;
  if (current_password) fields.emplace_back("current_password", *current_password);
  fields.emplace_back("new_password", new_password);
  return CallJson<StatusOK>("PUT", UserPath(user_id, "/password"), kUsers + "/{user_id}/password",
                            EncodeStringFields(fields));
}

Result<bool> Client::CheckUserMfa(const std::string& login_id) {
  return CallJson<bool>("POST", kUsers + "/mfa", kUsers + "/mfa",
                        EncodeStringFields({{"login_id", login_id}}), /*read_only_post=*/true);
}

Result<MfaSecret> Client::GenerateMfaSecret(const std::string& user_id) {
  return CallJson<MfaSecret>("POST", UserPath(user_id, "/mfa/generate"),
                             kUsers + "/{user_id}/mfa/generate");
}

Result<StatusOK> Client::UpdateUserMfa(const std::string& user_id, bool activate,
                                       const std::optional<std::string>& code) {
  std::vector<JsonField> fields{{"activate", activate}};
  if (code) fields.push_back({"code", *code});
  return CallJson<StatusOK>("PUT", UserPath(user_id, "/mfa"), kUsers + "/{user_id}/mfa",
                            EncodeFields(fields));
}

Result<SwitchAccountTypeResult> Client::SwitchAccountType(const SwitchAccountTypeRequest& request) {
  return CallJson<SwitchAccountTypeResult>("POST", kUsers + "/login/switch",
                                           kUsers + "/login/switch",
                                           EncodeSwitchAccountTypeRequest(request));
}

Result<std::vector<Session>> Client::GetSessions(const std::string& user_id) {
  return CallJson<std::vector<Session>>("GET", UserPath(user_id, "/sessions"),
                                        kUsers + "/{user_id}/sessions");
}

Result<StatusOK> Client::RevokeSession(const std::string& user_id, const std::string& session_id) {
  return CallJson<StatusOK>("POST", UserPath(user_id, "/sessions/revoke"),
                            kUsers + "/{user_id}/sessions/revoke",
                            EncodeStringFields({{"session_id", session_id}}),
                            /*read_only_post=*/true);  // revoking twice is harmless
}

Result<StatusOK> Client::RevokeAllSessions(const std::string& user_id) {
  return CallJson<StatusOK>("POST", UserPath(user_id, "/sessions/revoke/all"),
                            kUsers + "/{user_id}/sessions/revoke/all", "",
                            /*read_only_post=*/true);  // revoking twice is harmless
}

Status Client::RevokeSessionsFromAllUsers() {
  return Call("POST", kUsers + "/sessions/revoke/all", kUsers + "/sessions/revoke/all").status();
}

Result<StatusOK> Client::AttachDeviceExtraProps(const std::string& device_id) {
  return CallJson<StatusOK>("PUT", kUsers + "/sessions/device", kUsers + "/sessions/device",
                            EncodeStringFields({{"device_id", device_id}}));
}

Result<UserAccessToken> Client::CreateUserAccessToken(const std::string& user_id,
                                                      const std::string& description) {
  return CallJson<UserAccessToken>("POST", UserPath(user_id, "/tokens"),
                                   kUsers + "/{user_id}/tokens",
                                   EncodeStringFields({{"description", description}}));
}

Result<UserAccessTokenSanitized> Client::GetUserAccessToken(const std::string& token_id) {
  return CallJson<UserAccessTokenSanitized>("GET", kUsers + "/tokens/" + Seg(token_id),
                                            kUsers + "/tokens/{token_id}");
}

Result<std::vector<UserAccessTokenSanitized>> Client::GetAllUserAccessTokens(int page,
                                                                             int per_page) {
  Query q;
  q.Int("page", page).Int("per_page", per_page);
  return CallJson<std::vector<UserAccessTokenSanitized>>("GET", kUsers + "/tokens" + q.str(),
                                                         kUsers + "/tokens");
}

Result<std::vector<UserAccessTokenSanitized>> Client::GetUserAccessTokensForUser(
    const std::string& user_id, int page, int per_page) {
  Query q;
  q.Int("page", page).Int("per_page", per_page);
  return CallJson<std::vector<UserAccessTokenSanitized>>(
      "GET", UserPath(user_id, "/tokens") + q.str(), kUsers + "/{user_id}/tokens");
}

Result<std::vector<UserAccessTokenSanitized>> Client::SearchUserAccessTokens(
    const std::string& term) {
  return CallJson<std::vector<UserAccessTokenSanitized>>(
      "POST", kUsers + "/tokens/search", kUsers + "/tokens/search",
      EncodeStringFields({{"term", term}}), true);
}

Result<StatusOK> Client::DisableUserAccessToken(const std::string& token_id) {
  return CallJson<StatusOK>("POST", kUsers + "/tokens/disable", kUsers + "/tokens/disable",
                            EncodeStringFields({{"token_id", token_id}}));
}

Result<StatusOK> Client::EnableUserAccessToken(const std::string& token_id) {
  return CallJson<StatusOK>("POST", kUsers + "/tokens/enable", kUsers + "/tokens/enable",
                            EncodeStringFields({{"token_id", token_id}}));
}

Result<StatusOK> Client::RevokeUserAccessTokenById(const std::string& token_id) {
  return CallJson<StatusOK>("POST", kUsers + "/tokens/revoke", kUsers + "/tokens/revoke",
                            EncodeStringFields({{"token_id", token_id}}),
                            /*read_only_post=*/true);  // revoking twice is harmless
}

}  // namespace rostersync::api
