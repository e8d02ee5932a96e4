// api::Client: the UsersApi seam's lookups by id and name and its account changes, and the
// typed routes they use (CreateUser with invite, /users/stats, one page of a user's tokens).
#include "api/client_internal.h"

namespace rostersync::api {

Result<std::vector<User>> Client::GetUsersByIds(const std::vector<std::string>& ids,
                                                std::optional<int64_t> since) {
  Query q;
  q.Int("since", since);
  return CallJson<std::vector<User>>("POST", kUsers + "/ids" + q.str(), kUsers + "/ids",
                                     EncodeStringArray(ids), /*read_only_post=*/true);
}

Result<std::vector<User>> Client::GetUsersByUsernames(const std::vector<std::string>& usernames) {
  return CallJson<std::vector<User>>("POST", kUsers + "/usernames", kUsers + "/usernames",
                                     EncodeStringArray(usernames), true);
}

Result<User> Client::CreateUser(const NewUser& user, const std::string& t, const std::string& iid) {
  Query q;
  q.AddNonEmpty("t", t).AddNonEmpty("iid", iid);
  return CallJson<User>("POST", kUsers + q.str(), kUsers, EncodeNewUser(user));
}

Result<User> Client::PatchUser(const std::string& user_id, const UserPatch& patch) {
  return CallJson<User>("PUT", UserPath(user_id, "/patch"), kUsers + "/{user_id}/patch",
                        EncodeUserPatch(patch));
}

Status Client::DeactivateUser(const std::string& user_id) {
  return CallJson<StatusOK>("DELETE", UserPath(user_id), kUsers + "/{user_id}").status();
}

Status Client::SetUserActive(const std::string& user_id, bool active) {
  return CallJson<StatusOK>("PUT", UserPath(user_id, "/active"), kUsers + "/{user_id}/active",
                            EncodeFields({{"active", active}}))
      .status();
}

Status Client::UpdateUserRoles(const std::string& user_id, const std::string& roles) {
  return CallJson<StatusOK>("PUT", UserPath(user_id, "/roles"), kUsers + "/{user_id}/roles",
                            EncodeStringFields({{"roles", roles}}))
      .status();
}

Status Client::DemoteUserToGuest(const std::string& user_id) {
  return CallJson<StatusOK>("POST", UserPath(user_id, "/demote"), kUsers + "/{user_id}/demote",
                            "", /*read_only_post=*/true)  // a repeat answers 501 "already guest"
      .status();
}

Status Client::PromoteGuestToUser(const std::string& user_id) {
  return CallJson<StatusOK>("POST", UserPath(user_id, "/promote"), kUsers + "/{user_id}/promote",
                            "", /*read_only_post=*/true)  // a repeat answers 501 "already user"
      .status();
}

Status Client::UpdateUserAuth(const std::string& user_id, const std::string& auth_service,
                              const std::string& auth_data) {
  return CallJson<UserAuthData>(
             "PUT", UserPath(user_id, "/auth"), kUsers + "/{user_id}/auth",
             EncodeStringFields({{"auth_data", auth_data}, {"auth_service", auth_service}}))
      .status();
}

Status Client::VerifyUserEmail(const std::string& user_id) {
  return CallJson<User>("POST", UserPath(user_id, "/email/verify/member"),
                        kUsers + "/{user_id}/email/verify/member", "",
                        /*read_only_post=*/true)  // verifying twice is harmless
      .status();
}

Status Client::SendPasswordResetEmail(const std::string& email) {
  return CallJson<StatusOK>("POST", kUsers + "/password/reset/send",
                            kUsers + "/password/reset/send",
                            EncodeStringFields({{"email", email}}))
      .status();
}

Result<UsersStats> Client::GetTotalUsersStats() {
  return CallJson<UsersStats>("GET", kUsers + "/stats", kUsers + "/stats");
}

Result<std::vector<UserAccessTokenSanitized>> Client::GetUserAccessTokensForUser(
    const std::string& user_id, int page, int per_page) {
  Query q;
  q.Int("page", page).Int("per_page", per_page);
  return CallJson<std::vector<UserAccessTokenSanitized>>(
      "GET", UserPath(user_id, "/tokens") + q.str(), kUsers + "/{user_id}/tokens");
}

Status Client::RevokeUserAccessToken(const std::string& token_id) {
  return CallJson<StatusOK>("POST", kUsers + "/tokens/revoke", kUsers + "/tokens/revoke",
                            EncodeStringFields({{"token_id", token_id}}),
                            /*read_only_post=*/true)  // revoking twice is harmless
      .status();
}

}  // namespace rostersync::api
