// Handlers for the /api/v4 users endpoints, and the team/channel membership routes
// (teams_routes.cc, channels_routes.cc), with the real server's semantics (see
// docs/emulator.md). Owns nothing but the route table; the UserStore is
// borrowed. Thread-safe: each handler locks the store itself.
#ifndef ROSTERSYNC_TESTS_EMULATOR_USERS_ROUTES_H_
#define ROSTERSYNC_TESTS_EMULATOR_USERS_ROUTES_H_

#include <Poco/JSON/Object.h>

#include <atomic>
#include <string>
#include <vector>

#include "emulator/api_types.h"
#include "emulator/modes.h"
#include "emulator/user_store.h"

namespace mmemu {

// Who is calling, resolved from the bearer token.
struct Caller {
  bool ok = false;
  std::string id;
  bool admin = false;
};

class UsersRoutes {
 public:
  // `modes` is read on every request, so PUT /__emu/faults changes take effect at once.
  UsersRoutes(UserStore* store, const Modes* modes);
  UsersRoutes(const UsersRoutes&) = delete;
  UsersRoutes& operator=(const UsersRoutes&) = delete;

  // Normalized route ("PUT /api/v4/users/{id}/patch"), or "METHOD unmatched".
  std::string RouteName(const std::string& method, const std::string& path) const;
  // Runs the matching handler; unknown routes give 404 AppError.
  void Handle(ApiRequest* req, ApiResponse* resp);
  Caller Authenticate(const std::string& token);

 private:
  using Handler = void (UsersRoutes::*)(const ApiRequest&, const Caller&, ApiResponse*);
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{x}" matches any one segment
    std::string name;
    Handler fn;
    bool needs_session;
  };
  const Route* Match(const std::string& method, const std::string& path,
                     std::vector<std::string>* params) const;
  void Add(const std::string& method, const std::string& pattern, Handler fn,
           bool needs_session = true);

  // users_read.cc
  void GetUsers(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetUser(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetUserByUsername(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetUserByEmail(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetUsersByUsernames(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetUsersByIds(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void SearchUsers(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetStats(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetImage(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void SendSingleUser(const ApiRequest& req, const Caller& caller, const EmuUser* user,
                      ApiResponse* resp);
  // listing.cc: the listing-skew fault and what a lagging replica shows.
  void SkewBeforePage(long long page);
  // The user as a (possibly lagging) replica has it; nullptr when it does not have it yet.
  const EmuUser* ReplicaView(const EmuUser* user) const;

  // capabilities.cc
  void GetClientConfig(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetClientLicense(const ApiRequest& req, const Caller& caller, ApiResponse* resp);

  // users_write.cc
  void CreateUser(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void PatchUser(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void UpdateUser(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void DeleteUser(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void UpdateActive(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  // Validates and stores `after` (a changed copy of `user`); fills resp on error.
  bool SaveUpdate(const ApiRequest& req, EmuUser* user, EmuUser after, ApiResponse* resp);
  // CheckProviderAttributes: the field a patch may not change for this user, or "".
  std::string ProviderConflict(const EmuUser& user, const EmuUser& after) const;

  // users_guests.cc
  void Demote(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void Promote(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  // Checks for PUT /active before a change: guests while guests are off (401) and the
  // user limit (200 with an appended error). False when resp is filled.
  bool CheckReactivation(const ApiRequest& req, const EmuUser& user, ApiResponse* resp);

  // users_admin.cc
  void UpdateRoles(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void UpdateAuth(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void MigrateLdap(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void MigrateSaml(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void VerifyEmail(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void SendPasswordReset(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetSessions(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void RevokeAllSessions(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void CreateToken(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetUserTokens(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetAllTokens(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetToken(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void RevokeToken(const ApiRequest& req, const Caller& caller, ApiResponse* resp);

  // teams_routes.cc
  void GetTeams(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetTeamByName(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void AddTeamMember(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void AddTeamMembersBatch(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void RemoveTeamMember(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetTeamMembers(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetTeamMembersByIds(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetTeamMember(const ApiRequest& req, const Caller& caller, ApiResponse* resp);

  // channels_routes.cc
  void GetChannelByName(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void AddChannelMember(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void RemoveChannelMember(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetChannelMembersByIds(const ApiRequest& req, const Caller& caller, ApiResponse* resp);
  void GetChannelMember(const ApiRequest& req, const Caller& caller, ApiResponse* resp);

  UserStore* store_;
  const Modes* modes_;
  std::string skew_user_id_;  // the bot the listing-skew fault renames (guarded by the store)
  std::vector<Route> routes_;
};

// Shared helpers for the handler files.
// Parses a JSON object body; nullptr when the body is not a JSON object.
Poco::JSON::Object::Ptr ParseObject(const std::string& body);
// Reads a string member. Returns false (and sets *bad) when present but not a string.
bool ReadString(const Poco::JSON::Object::Ptr& obj, const std::string& key, std::string* out,
                bool* bad);
bool ReadStringMap(const Poco::JSON::Object::Ptr& obj, const std::string& key, StringMap* out,
                   bool* bad);
void SetInvalidParam(const ApiRequest& req, ApiResponse* resp, const std::string& param);
void SetInvalidBody(const ApiRequest& req, ApiResponse* resp, const std::string& param);
void SetForbidden(const ApiRequest& req, ApiResponse* resp);
void SetUserNotFound(const ApiRequest& req, ApiResponse* resp);
// The id in the path, with "me" resolved to the caller.
std::string PathUserId(const ApiRequest& req, const Caller& caller);
std::string TokenJson(const TokenRecord& token, bool with_secret);
// Teams/channels helpers (teams_routes.cc).
// A 26-char Mattermost id ([a-z0-9]).
bool IsValidId(const std::string& id);
// 400 api.context.invalid_url_param.app_error for a bad id or name in the URL.
void SetInvalidUrlParam(const ApiRequest& req, ApiResponse* resp, const std::string& param);
// Parses a JSON array of strings; false when the body is not one.
bool ParseIdArray(const std::string& body, std::vector<std::string>* out);
// Fills resp from a refused membership change.
void SetMemberError(const ApiRequest& req, ApiResponse* resp, const MemberError& e);

// Bumps update_at and re-indexes the user after a change from `before`.
void BumpAndSave(UserStore* store, EmuUser* user, const EmuUser& before);

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_USERS_ROUTES_H_
