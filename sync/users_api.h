// UsersApi: the seam between rostersync and a Mattermost server's users API (REST v4).
// Implemented over HTTP by api/ (api::Client) and in memory by tests/fakes/fake_users_api.h.
// Implementations must be thread-safe: the executor calls them from several threads.
#ifndef ROSTERSYNC_SYNC_USERS_API_H_
#define ROSTERSYNC_SYNC_USERS_API_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/server_capabilities.h"
#include "sync/status.h"
#include "sync/user.h"

namespace rostersync {

// A personal access token as listed (the token string itself is never returned by lists).
struct UserAccessToken {
  std::string id;
  std::string user_id;
  std::string description;
  bool is_active = true;
  std::string token;  // set only in the answer to create; a secret
  bool operator==(const UserAccessToken& o) const {
    return id == o.id && user_id == o.user_id && description == o.description &&
           is_active == o.is_active && token == o.token;
  }
};

class UsersApi {
 public:
  virtual ~UsersApi() = default;

  // The server's X-Request-Id of the last answer the calling thread received through this
  // API ("" if none or not known). The executor records it with every applied action, so an
  // audit record can be matched with the server's logs.
  virtual std::string LastRequestId() const { return {}; }

  // GET /users/me: the token's own user. Unauthorized on a bad token.
  virtual Result<User> GetMe() = 0;

  // GET /config/client?format=old and GET /license/client?format=old, as one value.
  virtual Result<ServerCapabilities> GetServerCapabilities() = 0;

  // One page of GET /users. per_page above 200 is clamped by the server.
  virtual Result<std::vector<User>> ListUsers(const ListUsersQuery& query) = 0;

  // Every user, active and inactive, de-duplicated by id. Fails (never a partial list)
  // if any page fails after retries: a partial list must never look like "users gone".
  virtual Result<std::vector<User>> ListAllUsers() = 0;

  // POST /users/ids: the users among `ids` that exist (active or not); absent ids are simply
  // missing from the answer. Confirms an absence from a listing before anything acts on it.
  virtual Result<std::vector<User>> GetUsersByIds(const std::vector<std::string>& ids) = 0;

  // POST /users/ids?since=<since_ms>: the users among `ids` whose update_at is after
  // since_ms (server time, ms; a real server compares strictly, the emulator inclusively):
  // the delta read of an incremental cycle (cycle/incremental_read.h). Every write of a
  // user (patch, roles, activation, auth, email verification) bumps update_at.
  virtual Result<std::vector<User>> GetUsersChangedSince(const std::vector<std::string>& ids,
                                                         int64_t since_ms) = 0;

  // The server's clock when it answered the calling thread's last request (its HTTP Date
  // header, ms since the epoch, second resolution); nullopt when unknown. An incremental
  // cycle's watermark is taken from it, never from the local clock.
  virtual std::optional<int64_t> LastServerTimeMs() const { return std::nullopt; }

  // POST /users/usernames: the users among `usernames` that exist (active or not); absent
  // names are simply missing from the answer. Confirms that a planned create's account is
  // really absent (a listing may miss it) before anything creates it.
  virtual Result<std::vector<User>> GetUsersByUsernames(
      const std::vector<std::string>& usernames) = 0;

  // GET /users/{id}, /users/username/{u}, /users/email/{e}. NotFound when absent.
  virtual Result<User> GetUser(const std::string& user_id) = 0;
  virtual Result<User> GetUserByUsername(const std::string& username) = 0;
  virtual Result<User> GetUserByEmail(const std::string& email) = 0;

  // POST /users. Not retried once the request may have reached the server: the answer
  // is then OutcomeUnknown and the caller must look the user up before trying again.
  virtual Result<User> CreateUser(const NewUser& user) = 0;

  // PUT /users/{id}/patch with only the set fields. Conflict on a taken username/email.
  virtual Result<User> PatchUser(const std::string& user_id, const UserPatch& patch) = 0;

  // DELETE /users/{id}: soft deactivation; the server revokes the user's sessions.
  virtual Status DeactivateUser(const std::string& user_id) = 0;

  // PUT /users/{id}/active.
  virtual Status SetUserActive(const std::string& user_id, bool active) = 0;

  // PUT /users/{id}/roles: replaces all system roles ("system_user system_admin").
  virtual Status UpdateUserRoles(const std::string& user_id, const std::string& roles) = 0;

  // POST /users/{id}/demote and /promote. NotImplemented (501) if already in that state.
  virtual Status DemoteUserToGuest(const std::string& user_id) = 0;
  virtual Status PromoteGuestToUser(const std::string& user_id) = 0;

  // PUT /users/{id}/auth. The server answers 200 even for an unknown id: read back to verify.
  virtual Status UpdateUserAuth(const std::string& user_id, const std::string& auth_service,
                                const std::string& auth_data) = 0;

  // POST /users/{id}/email/verify/member.
  virtual Status VerifyUserEmail(const std::string& user_id) = 0;

  // POST /users/password/reset/send.
  virtual Status SendPasswordResetEmail(const std::string& email) = 0;

  // GET /users/{id}/tokens and POST /users/tokens/revoke.
  virtual Result<std::vector<UserAccessToken>> GetUserAccessTokens(const std::string& user_id) = 0;
  virtual Status RevokeUserAccessToken(const std::string& token_id) = 0;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_USERS_API_H_
