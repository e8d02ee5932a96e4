// api::Client: what the product uses of a Mattermost server: the UsersApi and MembershipApi
// seams over HTTP(S), on the transport (retries, rate limits, TLS). Target rs_api; the typed
// client for every seed operation is api::SdkClient (api/sdk/sdk_client.h, rs_api_sdk).
// Thread-safe, owns its connection pool; errors are Status kinds from http_errors.h. GET/PUT/
// DELETE are retried; a POST that may have reached the server answers OutcomeUnknown.
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
  // Each seed operation has one method; api/README.md ("Seed name -> method") maps the names.
  Result<User> GetMe() override;
  std::string LastRequestId() const override;
  Result<ServerCapabilities> GetServerCapabilities() override;
  Result<std::vector<User>> GetUsersByIds(const std::vector<std::string>& ids) override {
    return GetUsersByIds(ids, std::nullopt);
  }
  // POST /users/ids?since= (seed: get_users_by_ids). The overload above is the seam's form,
  // an alias with no `since`.
  Result<std::vector<User>> GetUsersByIds(const std::vector<std::string>& ids,
                                          std::optional<int64_t> since);
  Result<std::vector<User>> GetUsersChangedSince(const std::vector<std::string>& ids,
                                                 int64_t since_ms) override {
    return GetUsersByIds(ids, since_ms);
  }
  // The Date of the last answer Call() received on this thread.
  std::optional<int64_t> LastServerTimeMs() const override;
  // POST /users/usernames (a read: retried like one).
  Result<std::vector<User>> GetUsersByUsernames(
      const std::vector<std::string>& usernames) override;
  // GET /users, one page (seed: get_users).
  Result<std::vector<User>> ListUsers(const ListUsersQuery& query) override;
  // Every page of GET /users; not a synonym of ListUsers (one page). Pages of 200 (active
  // and inactive: the plain listing has both), up to `concurrency` pages in flight while
  // they are certainly full (per /users/stats or the last listing), then one at a time: no
  // page past the first short one is requested. De-duplicated by id. Any failed page fails
  // the whole call, and so does a full page without a new id or a listing past ListingCap()
  // (Invalid).
  Result<std::vector<User>> ListAllUsers() override;
  // Single-user reads revalidate a cached copy with If-None-Match (304 = unchanged).
  Result<User> GetUser(const std::string& user_id) override;
  Result<User> GetUserByUsername(const std::string& username) override;
  Result<User> GetUserByEmail(const std::string& email) override;
  // POST /users (seed: create_user); an alias of CreateUser(user, "", "").
  Result<User> CreateUser(const NewUser& user) override;
  Result<User> PatchUser(const std::string& user_id, const UserPatch& patch) override;
  // DELETE /users/{id} (seed: delete_user): the product's deactivation. Not a synonym of
  // SetUserActive(id, false), which is another route with another permission check
  // (sysconsole_write_user_management_users) and without DELETE's side effects (owned bots
  // disabled, OAuth authorisations removed): see api/README.md.
  Status DeactivateUser(const std::string& user_id) override;
  // PUT /users/{id}/active (seed: update_user_active); the product reactivates with it.
  Status SetUserActive(const std::string& user_id, bool active) override;
  Status UpdateUserRoles(const std::string& user_id, const std::string& roles) override;
  Status DemoteUserToGuest(const std::string& user_id) override;
  Status PromoteGuestToUser(const std::string& user_id) override;
  // PUT /users/{id}/auth (seed: update_user_auth). The answer ({auth_data, auth_service})
  // is decoded (a malformed one is Invalid) and not returned: it echoes the request.
  Status UpdateUserAuth(const std::string& user_id, const std::string& auth_service,
                        const std::string& auth_data) override;
  // POST /users/{id}/email/verify/member (seed: verify_user_email_without_token). The
  // answer (the user) is decoded and not returned.
  Status VerifyUserEmail(const std::string& user_id) override;
  Status SendPasswordResetEmail(const std::string& email) override;
  // Every token of the user: every page of GetUserAccessTokensForUser (the seed's
  // get_user_access_tokens_for_user, one page).
  Result<std::vector<UserAccessToken>> GetUserAccessTokens(const std::string& user_id) override;
  // POST /users/tokens/revoke (seed: revoke_user_access_token).
  Status RevokeUserAccessToken(const std::string& token_id) override;

  // ---- rostersync::MembershipApi (client_membership.cc): plain values over the typed
  // team and channel routes below (api/README.md "Teams and channels") ----
  // The adds are idempotent on the server (an existing member answers 201), so they are
  // retried like reads. Removals are DELETEs (retried): a retried channel removal that had
  // already happened answers NotFound (app.channel.get_member.missing.app_error).
  static constexpr int kMaxTeamMembersBatch = 256;  // server's MaxAddMembersBatch
  static constexpr int kMembersByIdsChunk = 200;    // ids per /members/ids request
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
  // DELETE /teams/{team_id}/members/{user_id}: also removes the user from every channel of
  // the team. Never a member: Invalid (api.team.remove_user_from_team.missing.app_error).
  Status RemoveTeamMember(const std::string& team_id, const std::string& user_id) override;
  // DELETE /channels/{channel_id}/members/{user_id}: town-square is Invalid
  // (api.channel.remove.default.app_error); a non-member is NotFound.
  Status RemoveChannelMember(const std::string& channel_id, const std::string& user_id) override;

 protected:
  explicit Client(std::unique_ptr<Transport> transport);

  // ---- Typed routes the seams are built on; api::SdkClient makes them public ----
  // t: email invite token, iid: invite id ("" = not sent).
  Result<User> CreateUser(const NewUser& user, const std::string& t, const std::string& iid);
  Result<UsersStats> GetTotalUsersStats();
  Result<std::vector<UserAccessTokenSanitized>> GetUserAccessTokensForUser(
      const std::string& user_id, int page, int per_page);
  // GET /teams/name/{name}: archived teams too (check delete_at). 404 NotFound
  // (app.team.get_by_name.missing.app_error).
  Result<Team> GetTeamByName(const std::string& name);
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
  // POST /teams/{team_id}/members/ids in chunks: the current members among `user_ids`.
  Result<std::vector<TeamMember>> GetTeamMembersByIds(const std::string& team_id,
                                                      const std::vector<std::string>& user_ids);
  // POST /channels/{channel_id}/members: needs a current team membership (NotFound
  // app.team.get_member.missing.app_error; Invalid ...failed.deleted.app_error for a former
  // team member). 201 also for an existing member.
  Result<ChannelMember> AddChannelMemberRow(const std::string& channel_id,
                                            const std::string& user_id);
  // POST /channels/{channel_id}/members/ids in chunks: the members among `user_ids`.
  Result<std::vector<ChannelMember>> GetChannelMembersByIds(
      const std::string& channel_id, const std::vector<std::string>& user_ids);

  // One request; see transport.h. `read_only_post` lets a POST whose repeat is harmless
  // (a pure read or an idempotent action) be retried like a GET.
  Result<HttpResponse> Call(const std::string& method, const std::string& path,
                            const std::string& route, const std::string& json_body = "",
                            bool read_only_post = false);
  // Call + JSON content-type check + Decode<T> (client_internal.h).
  template <typename T>
  Result<T> CallJson(const std::string& method, const std::string& path,
                     const std::string& route, const std::string& json_body = "",
                     bool read_only_post = false);
  // The JSON content-type check + Decode<T> of an answer already received.
  template <typename T>
  Result<T> CallJsonDecode(const HttpResponse& response, const std::string& what);
  Transport& transport() { return *transport_; }

 private:
  Result<User> GetUserCached(const std::string& path, const std::string& route);
  // How many users ListAllUsers may collect (see ClientOptions::max_listed_users);
  // `active_users` gets the server's count of active users (-1 when it cannot be read).
  int64_t ListingCap(int64_t* active_users);

  std::unique_ptr<Transport> transport_;
  int concurrency_;
  std::atomic<int64_t> last_listed_{0};  // users the last complete listing had
  std::mutex etag_mu_;
  std::unordered_map<std::string, std::pair<std::string, User>> etag_cache_;  // path -> (etag, user)
};

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_CLIENT_H_
