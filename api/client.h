// api::Client: the Mattermost Users API (REST v4) over HTTP(S). Implements the
// rostersync::UsersApi seam plus every operation of the Users API as a typed method, and
// the team/channel membership routes (see api/README.md for the names and the mapping).
// Thread-safe: one Client serves all executor threads. Owns its connection pool.
// Every method returns a Status kind from http_errors.h on failure. Retry safety:
// GET/PUT/DELETE are retried internally; a POST that may have reached the server
// answers OutcomeUnknown and must be looked up before it is repeated.
#ifndef ROSTERSYNC_API_CLIENT_H_
#define ROSTERSYNC_API_CLIENT_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/client_options.h"
#include "api/models.h"
#include "api/teams_models.h"
#include "sync/membership_api.h"
#include "sync/status.h"
#include "sync/user.h"
#include "sync/users_api.h"

namespace rostersync::api {

class Transport;
struct HttpRequest;
struct HttpResponse;

class Client : public rostersync::UsersApi, public rostersync::MembershipApi {
 public:
  // Invalid on a bad URL, an unreadable ca_file or unusable options. Does not contact
  // the server (call GetMe() to check the token).
  static Result<std::unique_ptr<Client>> Create(const ClientOptions& options);
  ~Client() override;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // ---- rostersync::UsersApi ----
  Result<User> GetMe() override;
  std::string LastRequestId() const override;
  Result<ServerCapabilities> GetServerCapabilities() override;
  Result<std::vector<User>> GetUsersByIds(const std::vector<std::string>& ids) override {
    return GetUsersByIds(ids, std::nullopt);
  }
  Result<std::vector<User>> GetUsersChangedSince(const std::vector<std::string>& ids,
                                                 int64_t since_ms) override {
    return GetUsersByIds(ids, since_ms);
  }
  // The Date of the last answer Call() received on this thread.
  std::optional<int64_t> LastServerTimeMs() const override;
  // POST /users/usernames (a read: retried like one).
  Result<std::vector<User>> GetUsersByUsernames(
      const std::vector<std::string>& usernames) override;
  Result<std::vector<User>> ListUsers(const ListUsersQuery& query) override;
  // Pages of 200 (active and inactive: the plain listing has both), up to `concurrency`
  // pages in flight while they are certainly full (per /users/stats or the last listing),
  // then one at a time: no page past the first short one is requested. De-duplicated by
  // id. Any failed page fails the whole call, and so does a full page without a new id or a
  // listing past ListingCap() (Invalid).
  Result<std::vector<User>> ListAllUsers() override;
  // Single-user reads revalidate a cached copy with If-None-Match (304 = unchanged).
  Result<User> GetUser(const std::string& user_id) override;
  Result<User> GetUserByUsername(const std::string& username) override;
  Result<User> GetUserByEmail(const std::string& email) override;
  Result<User> CreateUser(const NewUser& user) override;
  Result<User> PatchUser(const std::string& user_id, const UserPatch& patch) override;
  Status DeactivateUser(const std::string& user_id) override;
  Status SetUserActive(const std::string& user_id, bool active) override;
  Status UpdateUserRoles(const std::string& user_id, const std::string& roles) override;
  Status DemoteUserToGuest(const std::string& user_id) override;
  Status PromoteGuestToUser(const std::string& user_id) override;
  Status UpdateUserAuth(const std::string& user_id, const std::string& auth_service,
                        const std::string& auth_data) override;
  // POST /users/{id}/email/verify/member (seed: verify_user_email_without_token).
  Status VerifyUserEmail(const std::string& user_id) override;
  Status SendPasswordResetEmail(const std::string& email) override;
  // Every token of the user (all pages of GET /users/{id}/tokens).
  Result<std::vector<UserAccessToken>> GetUserAccessTokens(const std::string& user_id) override;
  Status RevokeUserAccessToken(const std::string& token_id) override;

  // ---- The typed SDK: one method per seed operation (tests/api/contract_test.cc) ----
  // Where an operation is also a UsersApi method above, the pair differ only in shape; the
  // UsersApi one is what the product calls:
  //   GetUsers                    = ListUsers, an alias (the seed operation's name)
  //   UpdateUserActive            ~ SetUserActive / DeactivateUser, returning the StatusOK body
  //   UpdateUserAuthData          ~ UpdateUserAuth, with the typed body and answer
  //   VerifyUserEmailWithoutToken ~ VerifyUserEmail, returning the user
  //   GetUserAccessTokensForUser  ~ GetUserAccessTokens, one page instead of all
  //   RevokeUserAccessTokenById   ~ RevokeUserAccessToken, returning the StatusOK body

  // ---- users: read ----
  // An alias of ListUsers under the seed operation's name.
  Result<std::vector<User>> GetUsers(const ListUsersQuery& query) { return ListUsers(query); }
  Result<UserAutocomplete> AutocompleteUsers(const std::string& name,
                                             const std::optional<std::string>& team_id = {},
                                             const std::optional<std::string>& channel_id = {},
                                             std::optional<int> limit = {});
  Result<std::vector<std::string>> GetKnownUsers();
  Result<std::vector<User>> GetUsersByIds(const std::vector<std::string>& ids,
                                          std::optional<int64_t> since);
  Result<std::map<std::string, std::vector<User>>> GetUsersByGroupChannelIds(
      const std::vector<std::string>& group_channel_ids);
  Result<std::vector<User>> SearchUsers(const SearchUsersRequest& request);
  Result<std::vector<User>> GetUsersWithInvalidEmails(int page, int per_page);
  Result<UsersStats> GetTotalUsersStats();
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
  // t: email invite token, iid: invite id ("" = not sent).
  Result<User> CreateUser(const NewUser& user, const std::string& t, const std::string& iid);
  // Full update; the server resets omitted fields, prefer PatchUser.
  Result<User> UpdateUser(const UserUpdate& update);
  Result<StatusOK> DeleteUser(const std::string& user_id);
  Status PermanentDeleteAllUsers();
  Result<StatusOK> UpdateUserActive(const std::string& user_id, bool active);
  Result<UserAuthData> UpdateUserAuthData(const std::string& user_id, const UserAuthData& auth);
  Result<StatusOK> ConvertUserToBot(const std::string& user_id);
  Result<StatusOK> ConvertBotToUser(const std::string& bot_user_id, const UserPatch& user,
                                    bool set_system_admin);
  Status MigrateAuthToLdap(const std::string& from, const std::string& match_field, bool force);
  Status MigrateAuthToSaml(const std::string& from, const StringMap& matches, bool auto_migrate);
  Result<User> VerifyUserEmailWithoutToken(const std::string& user_id);
  // POST /users/email/verify (seed: verify_user_email).
  Result<StatusOK> VerifyUserEmailWithToken(const std::string& token);
  Result<StatusOK> SendVerificationEmail(const std::string& email);
  // The server's schema differs from the spec (termsOfServiceId, boolean accepted);
  // both key spellings are sent, see api/README.md.
  Result<StatusOK> RegisterTermsOfServiceAction(const std::string& user_id,
                                                const std::string& terms_of_service_id,
                                                bool accepted);
  Status PublishUserTyping(const std::string& user_id, const std::string& channel_id,
                           const std::optional<std::string>& parent_id = {});

  // ---- images ----
  Result<Blob> GetProfileImage(const std::string& user_id, std::optional<double> cache_buster = {});
  Result<Blob> GetDefaultProfileImage(const std::string& user_id);
  // Multipart upload of `image` as the form field "image".
  Result<StatusOK> SetProfileImage(const std::string& user_id, const std::string& image,
                                   const std::string& filename = "image.png");
  Result<StatusOK> SetDefaultProfileImage(const std::string& user_id);

  // ---- login, passwords, MFA (secrets in arguments are never logged) ----
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
  Result<std::vector<UserAccessTokenSanitized>> GetUserAccessTokensForUser(
      const std::string& user_id, int page, int per_page);
  Result<std::vector<UserAccessTokenSanitized>> SearchUserAccessTokens(const std::string& term);
  Result<StatusOK> DisableUserAccessToken(const std::string& token_id);
  Result<StatusOK> EnableUserAccessToken(const std::string& token_id);
  Result<StatusOK> RevokeUserAccessTokenById(const std::string& token_id);

  // ---- teams and channels (client_teams_ops.cc; api/README.md "Teams and channels") ----
  // The adds are idempotent on the server (an existing member answers 201), so they are
  // retried like reads. Removals are DELETEs (retried): a retried channel removal that had
  // already happened answers NotFound (app.channel.get_member.missing.app_error).
  static constexpr int kMaxTeamMembersBatch = 256;  // server's MaxAddMembersBatch
  static constexpr int kMembersByIdsChunk = 200;    // ids per /members/ids request

  // GET /teams/name/{name}: archived teams too (check delete_at). 404 NotFound
  // (app.team.get_by_name.missing.app_error).
  Result<Team> GetTeamByName(const std::string& name);
  // Every page of GET /teams (ORDER BY display_name, not unique, so de-duplicated by id);
  // archived teams included.
  Result<std::vector<Team>> GetTeams();
  // GET /teams/{team_id}/channels/name/{name}: an archived channel is NotFound unless
  // include_deleted.
  Result<Channel> GetChannelByName(const std::string& team_id, const std::string& name,
                                   bool include_deleted = false);
  // POST /teams/{team_id}/members: 201 also for a current member; reactivates a former one.
  Result<TeamMember> AddTeamMemberRow(const std::string& team_id, const std::string& user_id);
  // POST /teams/{team_id}/members/batch, at most kMaxTeamMembersBatch ids (else Invalid,
  // nothing sent). graceful: one entry per user with member or error. Not graceful: the
  // first failure is the Status, but users before it in the list stay added.
  Result<std::vector<TeamMemberWithError>> AddTeamMembersBatch(
      const std::string& team_id, const std::vector<std::string>& user_ids, bool graceful);
  // DELETE /teams/{team_id}/members/{user_id}: also removes the user from every channel of
  // the team. Never a member: Invalid (api.team.remove_user_from_team.missing.app_error).
  Status RemoveTeamMember(const std::string& team_id, const std::string& user_id) override;
  // Every page of GET /teams/{team_id}/members (current members, ORDER BY user id).
  Result<std::vector<TeamMember>> GetTeamMembers(const std::string& team_id);
  // POST /teams/{team_id}/members/ids in chunks: the current members among `user_ids`.
  Result<std::vector<TeamMember>> GetTeamMembersByIds(const std::string& team_id,
                                                      const std::vector<std::string>& user_ids);
  // POST /channels/{channel_id}/members: needs a current team membership (NotFound
  // app.team.get_member.missing.app_error; Invalid ...failed.deleted.app_error for a former
  // team member). 201 also for an existing member.
  Result<ChannelMember> AddChannelMemberRow(const std::string& channel_id,
                                            const std::string& user_id);
  // DELETE /channels/{channel_id}/members/{user_id}: town-square is Invalid
  // (api.channel.remove.default.app_error); a non-member is NotFound.
  Status RemoveChannelMember(const std::string& channel_id, const std::string& user_id) override;
  // POST /channels/{channel_id}/members/ids in chunks: the members among `user_ids`.
  Result<std::vector<ChannelMember>> GetChannelMembersByIds(
      const std::string& channel_id, const std::vector<std::string>& user_ids);

  // ---- rostersync::MembershipApi (client_membership.cc): the typed methods above ----
  Result<TeamRef> FindTeam(const std::string& name) override;
  Result<ChannelRef> FindChannel(const std::string& team_id, const std::string& name) override;
  Result<std::vector<std::string>> TeamMembersAmong(
      const std::string& team_id, const std::vector<std::string>& user_ids) override;
  Result<std::vector<std::string>> ChannelMembersAmong(
      const std::string& channel_id, const std::vector<std::string>& user_ids) override;
  Result<std::vector<MemberAddResult>> AddTeamMembers(
      const std::string& team_id, const std::vector<std::string>& user_ids) override;
  Status AddTeamMember(const std::string& team_id, const std::string& user_id) override;
  Status AddChannelMember(const std::string& channel_id, const std::string& user_id) override;

 private:
  explicit Client(std::unique_ptr<Transport> transport);

  // One request; see transport.h. `read_only_post` lets a POST whose repeat is harmless
  // (a pure read or an idempotent action) be retried like a GET.
  Result<HttpResponse> Call(const std::string& method, const std::string& path,
                            const std::string& route, const std::string& json_body = "",
                            bool read_only_post = false);
  // Call + JSON content-type check + Decode<T>.
  template <typename T>
  Result<T> CallJson(const std::string& method, const std::string& path,
                     const std::string& route, const std::string& json_body = "",
                     bool read_only_post = false);
  // The JSON content-type check + Decode<T> of an answer already received.
  template <typename T>
  Result<T> CallJsonDecode(const HttpResponse& response, const std::string& what);
  Result<User> GetUserCached(const std::string& path, const std::string& route);
  // How many users ListAllUsers may collect (see ClientOptions::max_listed_users);
  // `active_users` gets the server's count of active users (-1 when it cannot be read).
  int64_t ListingCap(int64_t* active_users);
  Result<Blob> GetBlob(const std::string& path, const std::string& route);

  std::unique_ptr<Transport> transport_;
  int concurrency_;
  std::atomic<int64_t> last_listed_{0};  // users the last complete listing had
  std::mutex etag_mu_;
  std::unordered_map<std::string, std::pair<std::string, User>> etag_cache_;  // path -> (etag, user)
};

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_CLIENT_H_
