// api::SdkClient: user lookups, searches and account changes beyond the UsersApi seam.
#include "api/client_internal.h"
#include "api/sdk/sdk_client.h"

namespace rostersync::api {

Result<UserAutocomplete> SdkClient::AutocompleteUsers(const std::string& name,
                                                   const std::optional<std::string>& team_id,
                                                   const std::optional<std::string>& channel_id,
                                                   std::optional<int> limit) {
  Query q;
  q.Str("name", name).Opt("team_id", team_id).Opt("channel_id", channel_id);
  if (limit) q.Int("limit", *limit);
  return CallJson<UserAutocomplete>("GET", kUsers + "/autocomplete" + q.str(),
                                    kUsers + "/autocomplete");
}

Result<std::vector<std::string>> SdkClient::GetKnownUsers() {
  return CallJson<std::vector<std::string>>("GET", kUsers + "/known", kUsers + "/known");
}

Result<std::map<std::string, std::vector<User>>> SdkClient::GetUsersByGroupChannelIds(
    const std::vector<std::string>& group_channel_ids) {
  return CallJson<std::map<std::string, std::vector<User>>>(
      "POST", kUsers + "/group_channels", kUsers + "/group_channels",
      EncodeStringArray(group_channel_ids), true);
}

Result<std::vector<User>> SdkClient::SearchUsers(const SearchUsersRequest& request) {
  return CallJson<std::vector<User>>("POST", kUsers + "/search", kUsers + "/search",
                                     EncodeSearchUsersRequest(request), true);
}

Result<std::vector<User>> SdkClient::GetUsersWithInvalidEmails(int page, int per_page) {
  Query q;
  q.Int("page", page).Int("per_page", per_page);
  return CallJson<std::vector<User>>("GET", kUsers + "/invalid_emails" + q.str(),
                                     kUsers + "/invalid_emails");
}

Result<User> SdkClient::UpdateUser(const UserUpdate& update) {
  return CallJson<User>("PUT", UserPath(update.id), kUsers + "/{user_id}",
                        EncodeUserUpdate(update));
}

Status SdkClient::PermanentDeleteAllUsers() {
  return Call("DELETE", kUsers, kUsers).status();
}

Result<StatusOK> SdkClient::ConvertUserToBot(const std::string& user_id) {
  return CallJson<StatusOK>("POST", UserPath(user_id, "/convert_to_bot"),
                            kUsers + "/{user_id}/convert_to_bot");
}

Result<StatusOK> SdkClient::ConvertBotToUser(const std::string& bot_user_id, const UserPatch& user,
                                          bool set_system_admin) {
  Query q;
  if (set_system_admin) q.Bool("set_system_admin", true);
  return CallJson<StatusOK>("POST", "/api/v4/bots/" + Seg(bot_user_id) + "/convert_to_user" + q.str(),
                            "/api/v4/bots/{bot_user_id}/convert_to_user", EncodeUserPatch(user));
}

Status SdkClient::MigrateAuthToLdap(const std::string& from, const std::string& match_field,
                                 bool force) {
  return Call("POST", kUsers + "/migrate_auth/ldap", kUsers + "/migrate_auth/ldap",
              EncodeFields({{"from", from}, {"match_field", match_field}, {"force", force}}))
      .status();
}

Status SdkClient::MigrateAuthToSaml(const std::string& from, const StringMap& matches,
                                 bool auto_migrate) {
  return Call("POST", kUsers + "/migrate_auth/saml", kUsers + "/migrate_auth/saml",
              EncodeFields({{"from", from}, {"matches", matches}, {"auto", auto_migrate}}))
      .status();
}

Result<StatusOK> SdkClient::VerifyUserEmailWithToken(const std::string& token) {
  return CallJson<StatusOK>("POST", kUsers + "/email/verify", kUsers + "/email/verify",
                            EncodeStringFields({{"token", token}}));
}

Result<StatusOK> SdkClient::SendVerificationEmail(const std::string& email) {
  return CallJson<StatusOK>("POST", kUsers + "/email/verify/send", kUsers + "/email/verify/send",
                            EncodeStringFields({{"email", email}}));
}

Result<StatusOK> SdkClient::RegisterTermsOfServiceAction(const std::string& user_id,
                                                      const std::string& terms_of_service_id,
                                                      bool accepted) {
  // The server reads termsOfServiceId and a boolean `accepted` (api4/user.go); the spec
  // names the field serviceTermsId and types `accepted` as a string. Both ids are sent.
  return CallJson<StatusOK>("POST", UserPath(user_id, "/terms_of_service"),
                            kUsers + "/{user_id}/terms_of_service",
                            EncodeFields({{"serviceTermsId", terms_of_service_id},
                                          {"termsOfServiceId", terms_of_service_id},
                                          {"accepted", accepted}}));
}

Status SdkClient::PublishUserTyping(const std::string& user_id, const std::string& channel_id,
                                 const std::optional<std::string>& parent_id) {
  std::vector<JsonField> fields{{"channel_id", channel_id}};
  if (parent_id) fields.push_back({"parent_id", *parent_id});
  return Call("POST", UserPath(user_id, "/typing"), kUsers + "/{user_id}/typing",
              EncodeFields(fields))
      .status();
}

}  // namespace rostersync::api
