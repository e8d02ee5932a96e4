// FakeUsersApi: an in-memory Mattermost users API with the server rules rostersync depends on
// (docs/server-facts.md: validation, lower-casing, uniqueness, write-only auth_data, sanitized
// lists, demote/promote 501, tokens), per-method call counters, and fault injection per call.
// Thread-safe: one mutex guards everything. The contract suite keeps it honest.
#ifndef ROSTERSYNC_TESTS_FAKES_FAKE_USERS_API_H_
#define ROSTERSYNC_TESTS_FAKES_FAKE_USERS_API_H_

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sync/users_api.h"

namespace rostersync::testing {

class FakeUsersApi : public UsersApi {
 public:
  // A predicate over (method, argument): the argument is the user id, or the username for
  // CreateUser/GetUserByUsername, the email for GetUserByEmail/SendPasswordResetEmail, or the
  // token id. Returns the Status to fail with, or nullopt to let the call through.
  using FaultPredicate =
      std::function<std::optional<Status>(const std::string& method, const std::string& arg)>;

  FakeUsersApi();  // holds one user: the token's own (id "me", username "rostersync", admin)

  // --- seeding and inspection (bypass the rules and the counters) ---
  User AddUser(User user);  // assigns an id if empty; returns what is stored
  std::optional<User> FindUser(const std::string& id) const;  // unsanitized
  std::optional<User> FindByUsername(const std::string& username) const;
  std::vector<User> AllUsers() const;
  std::string AuthData(const std::string& id) const;  // what was set; the API never shows it
  std::string Password(const std::string& id) const;  // what create received
  UserAccessToken AddToken(const std::string& user_id, const std::string& description);
  std::vector<UserAccessToken> Tokens(const std::string& user_id) const;
  std::vector<std::string> PasswordResetsSent() const;
  void set_now_ms(int64_t now_ms);
  // Servers with CheckProviderAttributes: a username change of an SSO user gives 409.
  void set_check_provider_attributes(bool on);
  // What GetServerCapabilities answers (default: a value with known=false), and how the
  // other methods behave under it: email verification keeps the old email pending, demote
  // answers 501/403 when guests are unavailable, create checks the password policy, and a
  // patch touching a provider-owned field of an ldap/saml user answers 409.
  void set_capabilities(const ServerCapabilities& capabilities);
  // Listings (ListUsers, ListAllUsers) leave this user out, as a listing skewed by a rename
  // between page reads would; GetUser and GetUsersByIds still find it.
  void HideFromListing(const std::string& id);
  // The email a patch left pending verification (RequireEmailVerification), "" if none.
  std::string PendingEmail(const std::string& id) const;
  // The person clicks the verification link: the pending email becomes the email.
  void ConfirmPendingEmail(const std::string& id);

  // --- counters ---
  int Calls(const std::string& method) const;
  int Writes() const;  // calls to write methods, whatever their result
  void ResetCounters();

  // --- fault injection ---
  void FailNext(const std::string& method, Status status, int times = 1);
  void FailWhere(FaultPredicate predicate);  // replaces the previous predicate
  // The next `times` calls of `method` are applied, then answered with OutcomeUnknown.
  void OutcomeUnknownAfterApply(const std::string& method, int times = 1);
  void ClearFaults();

  // --- UsersApi ---
  Result<User> GetMe() override;
  // "fake-req-N" after the calling thread's N-th write (like the server's X-Request-Id).
  std::string LastRequestId() const override;
  Result<ServerCapabilities> GetServerCapabilities() override;
  Result<std::vector<User>> GetUsersByIds(const std::vector<std::string>& ids) override;
  // The server's way: update_at strictly after since_ms. Every write below bumps update_at
  // to now_ms (set_now_ms), as a real server's store does.
  Result<std::vector<User>> GetUsersChangedSince(const std::vector<std::string>& ids,
                                                 int64_t since_ms) override;
  // now_ms truncated to the second, like an HTTP Date header; nullopt after
  // set_server_time_known(false).
  std::optional<int64_t> LastServerTimeMs() const override;
  void set_server_time_known(bool known);
  Result<std::vector<User>> GetUsersByUsernames(
      const std::vector<std::string>& usernames) override;
  Result<std::vector<User>> ListUsers(const ListUsersQuery& query) override;
  Result<std::vector<User>> ListAllUsers() override;
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
  Status VerifyUserEmail(const std::string& user_id) override;
  Status SendPasswordResetEmail(const std::string& email) override;
  Result<std::vector<UserAccessToken>> GetUserAccessTokens(const std::string& user_id) override;
  Status RevokeUserAccessToken(const std::string& token_id) override;

 private:
  struct Stored {
    User user;
    std::string auth_data;
    std::string password;
    std::string pending_email;  // RequireEmailVerification: stored until verified
  };
  // Counts the call and returns the injected failure, if any. Caller holds mu_.
  std::optional<Status> Enter(const std::string& method, const std::string& arg, bool write);
  bool TakeOutcomeUnknown(const std::string& method);
  Stored* Find(const std::string& id);
  User Sanitized(const Stored& s, bool profile) const;
  // 409 when the patch changes a field the identity provider owns (capabilities_).
  Status ProviderOwned(const User& user, const UserPatch& patch) const;
  Status CheckUsernameEmail(const std::string& username, const std::string& email,
                            const std::string& self_id) const;

  mutable std::mutex mu_;
  std::map<std::string, Stored> users_;  // by id
  std::map<std::string, UserAccessToken> tokens_;  // by token id
  std::vector<std::string> resets_;
  std::map<std::string, int> calls_;
  int writes_ = 0;
  int next_id_ = 1;
  int64_t now_ms_ = 1700000000000;
  bool check_provider_attributes_ = false;
  bool server_time_known_ = true;
  ServerCapabilities capabilities_;
  std::set<std::string> hidden_;  // ids listings leave out
  std::map<std::string, std::deque<Status>> fail_next_;
  std::map<std::string, int> outcome_unknown_;
  FaultPredicate fail_where_;
};

// The server's rules for PUT /users/{id}/roles: built-in role ids, exactly one of
// system_user / system_guest ("system_admin" alone is rejected).
bool ValidRolesForFake(const std::string& roles);

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_FAKES_FAKE_USERS_API_H_
