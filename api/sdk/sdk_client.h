// api::SdkClient: the typed C++ client for every seed operation of the Mattermost Users API
// (REST v4) and the team/channel membership routes. Target rs_api_sdk (CMake option
// ROSTERSYNC_API_SDK); the product links rs_api only and never this. An SdkClient is an
// api::Client (the seams, the transport) with the remaining operations as typed methods.
#ifndef ROSTERSYNC_API_SDK_SDK_CLIENT_H_
#define ROSTERSYNC_API_SDK_SDK_CLIENT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/client.h"
#include "api/client_options.h"
#include "api/models.h"
#include "api/teams_models.h"
#include "sync/status.h"

namespace rostersync::api {

// One method per seed operation (tests/api/contract_test.cc lists all 66). Where the
// operation is also a seam method of Client (get_users = ListUsers, delete_user =
// DeactivateUser, update_user_active = SetUserActive, ...), that method is the only one:
// api/README.md, "Seed name -> method". Same thread-safety and errors as Client.
class SdkClient : public Client {
 public:
  // Invalid on a bad URL, an unreadable ca_file or unusable options (as Client::Create).
  static Result<std::unique_ptr<SdkClient>> Create(const ClientOptions& options);

  // The typed routes Client keeps for its seams.
  using Client::AddChannelMemberRow;
  using Client::AddTeamMemberRow;
  using Client::AddTeamMembersBatch;
  using Client::CreateUser;
  using Client::GetChannelByName;
  using Client::GetChannelMembersByIds;
  using Client::GetTeamByName;
  using Client::GetTeamMembersByIds;
  using Client::GetTotalUsersStats;
  using Client::GetUserAccessTokensForUser;

  // ---- users: read (sdk_users_ops.cc, sdk_misc_ops.cc) ----
  Result<UserAutocomplete> AutocompleteUsers(const std::string& name,
                                             const std::optional<std::string>& team_id = {},
                                             const std::optional<std::string>& channel_id = {},
                                             std::optional<int> limit = {});
  Result<std::vector<std::string>> GetKnownUsers();
  Result<std::map<std::string, std::vector<User>>> GetUsersByGroupChannelIds(
      const std::vector<std::string>& group_channel_ids);
  Result<std::vector<User>> SearchUsers(const SearchUsersRequest& request);
  Result<std::vector<User>> GetUsersWithInvalidEmails(int page, int per_page);
  Result<UsersStats> GetTotalUsersStatsFiltered(const UsersStatsFilter& filter);
  Result<std::vector<UserReport>> GetUsersForReporting(const UserReportQuery& query);
  Result<int64_t> GetUserCountForReporting(const UserReportQuery& query);
  Result<ServerLimits> GetServerLimits();
  Result<std::vector<ChannelMemberWithTeamData>> GetChannelMembersWithTeamDataForUser(
      const std::string& user_id, int page, int per_page);
  Result<std::vector<UploadSession>> GetUploadsForUser(const std::string& user_id);
  Result<std::vector<Audit>> GetUserAudits(const std::string& user_id);
  Result<UserTermsOfService> GetUserTermsOfService(const std::string& user_id);

  // ---- users: write ----
  // Full update; the server resets omitted fields, prefer PatchUser.
  Result<User> UpdateUser(const UserUpdate& update);
  Status PermanentDeleteAllUsers();
  Result<StatusOK> ConvertUserToBot(const std::string& user_id);
  Result<StatusOK> ConvertBotToUser(const std::string& bot_user_id, const UserPatch& user,
                                    bool set_system_admin);
  Status MigrateAuthToLdap(const std::string& from, const std::string& match_field, bool force);
  Status MigrateAuthToSaml(const std::string& from, const StringMap& matches, bool auto_migrate);
  // POST /users/email/verify (seed: verify_user_email). Without a token it is
  // VerifyUserEmail(user_id), the seam method.
  Result<StatusOK> VerifyUserEmailWithToken(const std::string& token);
  Result<StatusOK> SendVerificationEmail(const std::string& email);
  // The server's schema differs from the spec (termsOfServiceId, boolean accepted);
  // both key spellings are sent, see api/README.md.
  Result<StatusOK> RegisterTermsOfServiceAction(const std::string& user_id,
                                                const std::string& terms_of_service_id,
                                                bool accepted);
  Status PublishUserTyping(const std::string& user_id, const std::string& channel_id,
                           const std::optional<std::string>& parent_id = {});

  // ---- images (sdk_misc_ops.cc) ----
  Result<Blob> GetProfileImage(const std::string& user_id, std::optional<double> cache_buster = {});
  Result<Blob> GetDefaultProfileImage(const std::string& user_id);
  // Multipart upload of `image` as the form field "image".
  Result<StatusOK> SetProfileImage(const std::string& user_id, const std::string& image,
                                   const std::string& filename = "image.png");
  Result<StatusOK> SetDefaultProfileImage(const std::string& user_id);

  // ---- login, passwords, MFA (sdk_tokens_ops.cc; secrets in arguments are never logged) ----
  Result<User> Login(const LoginRequest& request);
  Status LoginByCwsToken(const std::string& login_id, const std::string& cws_token);
  Result<StatusOK> Logout();
  Result<StatusOK> ResetPassword(const std::string& code, const std::string& new_password);
  Result<StatusOK> UpdateUserPassword(const std::string& user_id,
                                      const std::optional<std::string>& current_password,
                                      const std::string& new_password);
  Result<bool> CheckUserMfa(const std::string& login_id);
  Result<MfaSecret> GenerateMfaSecret(const std::string& user_id);
  Result<StatusOK> UpdateUserMfa(const std::string& user_id, bool activate,
                                 const std::optional<std::string>& code = {});
  Result<SwitchAccountTypeResult> SwitchAccountType(const SwitchAccountTypeRequest& request);

  // ---- sessions ----
  Result<std::vector<Session>> GetSessions(const std::string& user_id);
  Result<StatusOK> RevokeSession(const std::string& user_id, const std::string& session_id);
  Result<StatusOK> RevokeAllSessions(const std::string& user_id);
  Status RevokeSessionsFromAllUsers();
  Result<StatusOK> AttachDeviceExtraProps(const std::string& device_id);

  // ---- personal access tokens ----
  Result<UserAccessToken> CreateUserAccessToken(const std::string& user_id,
                                                const std::string& description);
  Result<UserAccessTokenSanitized> GetUserAccessToken(const std::string& token_id);
  // GET /users/tokens (seed: get_user_access_tokens): every user's tokens, one page.
  Result<std::vector<UserAccessTokenSanitized>> GetAllUserAccessTokens(int page, int per_page);
  Result<std::vector<UserAccessTokenSanitized>> SearchUserAccessTokens(const std::string& term);
  Result<StatusOK> DisableUserAccessToken(const std::string& token_id);
  Result<StatusOK> EnableUserAccessToken(const std::string& token_id);

  // ---- teams (sdk_teams_ops.cc) ----
  // Every page of GET /teams (ORDER BY display_name, not unique, so de-duplicated by id);
  // archived teams included.
  Result<std::vector<Team>> GetTeams();
  // Every page of GET /teams/{team_id}/members (current members, ORDER BY user id).
  Result<std::vector<TeamMember>> GetTeamMembers(const std::string& team_id);

 private:
  using Client::Client;
  Result<Blob> GetBlob(const std::string& path, const std::string& route);
};

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_SDK_SDK_CLIENT_H_
