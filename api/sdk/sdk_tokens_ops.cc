// api::SdkClient: login, passwords, MFA, sessions and personal access tokens. Secrets passed
// in (passwords, codes, tokens) go only into request bodies, never into a Status.
#include "api/client_internal.h"
#include "api/sdk/sdk_client.h"

namespace rostersync::api {

Result<User> SdkClient::Login(const LoginRequest& request) {
  return CallJson<User>("POST", kUsers + "/login", kUsers + "/login", EncodeLoginRequest(request));
}

Status SdkClient::LoginByCwsToken(const std::string& login_id, const std::string& cws_token) {
  // The server answers a successful login with a redirect into the web app.
  Status status = Call("POST", kUsers + "/login/cws", kUsers + "/login/cws",
              EncodeStringFields({{"login_id", login_id}, {"cws_token", cws_token}}))
                      .status();
  if (status.http_status() == 302) return Status::Ok();
  return status;
}

Result<StatusOK> SdkClient::Logout() {
  return CallJson<StatusOK>("POST", kUsers + "/logout", kUsers + "/logout");
}

Result<StatusOK> SdkClient::ResetPassword(const std::string& code, const std::string& new_password) {
  return CallJson<StatusOK>("POST", kUsers + "/password/reset", kUsers + "/password/reset",
                            EncodeStringFields({{"code", code}, {"new_password", new_password}}));
}

Result<StatusOK> SdkClient::UpdateUserPassword(const std::string& user_id,
                                            const std::optional<std::string>& current_password,
                                            const std::string& new_password) {
  std::vector<std::pair<std::string, std::string>> fields;
  if (current_password) fields.emplace_back("current_password", *current_password);
  fields.emplace_back("new_password", new_password);
  return CallJson<StatusOK>("PUT", UserPath(user_id, "/password"), kUsers + "/{user_id}/password",
                            EncodeStringFields(fields));
}

Result<bool> SdkClient::CheckUserMfa(const std::string& login_id) {
  return CallJson<bool>("POST", kUsers + "/mfa", kUsers + "/mfa",
                        EncodeStringFields({{"login_id", login_id}}), /*read_only_post=*/true);
}

Result<MfaSecret> SdkClient::GenerateMfaSecret(const std::string& user_id) {
  return CallJson<MfaSecret>("POST", UserPath(user_id, "/mfa/generate"),
                             kUsers + "/{user_id}/mfa/generate");
}

Result<StatusOK> SdkClient::UpdateUserMfa(const std::string& user_id, bool activate,
                                       const std::optional<std::string>& code) {
  std::vector<JsonField> fields{{"activate", activate}};
  if (code) fields.push_back({"code", *code});
  return CallJson<StatusOK>("PUT", UserPath(user_id, "/mfa"), kUsers + "/{user_id}/mfa",
                            EncodeFields(fields));
}

Result<SwitchAccountTypeResult> SdkClient::SwitchAccountType(const SwitchAccountTypeRequest& request) {
  return CallJson<SwitchAccountTypeResult>("POST", kUsers + "/login/switch",
                                           kUsers + "/login/switch",
                                           EncodeSwitchAccountTypeRequest(request));
}

Result<std::vector<Session>> SdkClient::GetSessions(const std::string& user_id) {
  return CallJson<std::vector<Session>>("GET", UserPath(user_id, "/sessions"),
                                        kUsers + "/{user_id}/sessions");
}

Result<StatusOK> SdkClient::RevokeSession(const std::string& user_id, const std::string& session_id) {
  return CallJson<StatusOK>("POST", UserPath(user_id, "/sessions/revoke"),
                            kUsers + "/{user_id}/sessions/revoke",
                            EncodeStringFields({{"session_id", session_id}}),
                            /*read_only_post=*/true);  // revoking twice is harmless
}

Result<StatusOK> SdkClient::RevokeAllSessions(const std::string& user_id) {
  return CallJson<StatusOK>("POST", UserPath(user_id, "/sessions/revoke/all"),
                            kUsers + "/{user_id}/sessions/revoke/all", "",
                            /*read_only_post=*/true);  // revoking twice is harmless
}

Status SdkClient::RevokeSessionsFromAllUsers() {
  return Call("POST", kUsers + "/sessions/revoke/all", kUsers + "/sessions/revoke/all").status();
}

Result<StatusOK> SdkClient::AttachDeviceExtraProps(const std::string& device_id) {
  return CallJson<StatusOK>("PUT", kUsers + "/sessions/device", kUsers + "/sessions/device",
                            EncodeStringFields({{"device_id", device_id}}));
}

Result<UserAccessToken> SdkClient::CreateUserAccessToken(const std::string& user_id,
                                                      const std::string& description) {
  return CallJson<UserAccessToken>("POST", UserPath(user_id, "/tokens"),
                                   kUsers + "/{user_id}/tokens",
                                   EncodeStringFields({{"description", description}}));
}

Result<UserAccessTokenSanitized> SdkClient::GetUserAccessToken(const std::string& token_id) {
  return CallJson<UserAccessTokenSanitized>("GET", kUsers + "/tokens/" + Seg(token_id),
                                            kUsers + "/tokens/{token_id}");
}

Result<std::vector<UserAccessTokenSanitized>> SdkClient::GetAllUserAccessTokens(int page,
                                                                             int per_page) {
  Query q;
  q.Int("page", page).Int("per_page", per_page);
  return CallJson<std::vector<UserAccessTokenSanitized>>("GET", kUsers + "/tokens" + q.str(),
                                                         kUsers + "/tokens");
}

Result<std::vector<UserAccessTokenSanitized>> SdkClient::SearchUserAccessTokens(
    const std::string& term) {
  return CallJson<std::vector<UserAccessTokenSanitized>>(
      "POST", kUsers + "/tokens/search", kUsers + "/tokens/search",
      EncodeStringFields({{"term", term}}), true);
}

Result<StatusOK> SdkClient::DisableUserAccessToken(const std::string& token_id) {
  return CallJson<StatusOK>("POST", kUsers + "/tokens/disable", kUsers + "/tokens/disable",
                            EncodeStringFields({{"token_id", token_id}}));
}

Result<StatusOK> SdkClient::EnableUserAccessToken(const std::string& token_id) {
  return CallJson<StatusOK>("POST", kUsers + "/tokens/enable", kUsers + "/tokens/enable",
                            EncodeStringFields({{"token_id", token_id}}));
}

}  // namespace rostersync::api
