// Plain value types for Mattermost users as the API shows them (docs/server-facts.md "User
// object"). No Poco or JSON types: the api/ target converts them to and from JSON. Absent optional
// fields are std::nullopt, which a patch never sends.
#ifndef ROSTERSYNC_SYNC_USER_H_
#define ROSTERSYNC_SYNC_USER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rostersync {

using StringMap = std::map<std::string, std::string>;

// A user as returned by GET /users and friends. Go's omitempty means an absent field is
// its zero value; email_verified is absent from lists, so it is optional here.
struct User {
  std::string id;
  int64_t create_at = 0;
  int64_t update_at = 0;
  int64_t delete_at = 0;  // 0 = active
  std::string username;
  std::string first_name;
  std::string last_name;
  std::string nickname;
  std::string email;
  std::optional<bool> email_verified;
  std::string auth_service;  // "" = email/password
  std::string roles;         // space-separated, e.g. "system_user system_admin"
  std::string locale;
  std::string position;
  bool is_bot = false;
  std::string bot_description;
  bool mfa_active = false;
  int64_t last_password_update = 0;
  int64_t last_picture_update = 0;
  int64_t failed_attempts = 0;
  int64_t last_activity_at = 0;
  std::string terms_of_service_id;
  int64_t terms_of_service_create_at = 0;
  std::string remote_id;
  StringMap props;
  StringMap notify_props;
  StringMap timezone;

  bool active() const { return delete_at == 0; }
  bool HasRole(const std::string& role) const;  // exact word match in roles
  bool operator==(const User& o) const;
  bool operator!=(const User& o) const { return !(*this == o); }
};

// PUT /users/{id}/patch: only the fields that are set are sent.
struct UserPatch {
  std::optional<std::string> username;
  std::optional<std::string> email;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> nickname;
  std::optional<std::string> position;
  std::optional<std::string> locale;
  std::optional<std::string> password;  // only to confirm one's own email change
  std::optional<StringMap> props;        // replaces the whole map on the server
  std::optional<StringMap> notify_props; // replaces the whole map on the server
  std::optional<StringMap> timezone;

  bool empty() const;
  bool operator==(const UserPatch& o) const;
};

// POST /users body. password is a secret: never logged, never in a plan or audit record.
struct NewUser {
  std::string username;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string nickname;
  std::string position;
  std::string locale;
  std::string auth_service;
  std::string auth_data;
  std::string password;
  std::optional<bool> email_verified;  // honoured only for callers with manage_system
  StringMap props;
  StringMap notify_props;

  bool operator==(const NewUser& o) const;
};

// Filters for GET /users. The listing the planner uses asks for everyone (active and inactive).
struct ListUsersQuery {
  int page = 0;
  int per_page = 200;
  bool active_only = false;
  bool inactive_only = false;
  std::string role;
  std::string in_team;
  std::string not_in_team;
  std::string in_channel;
  std::string not_in_channel;
  std::string sort;
  bool without_team = false;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_USER_H_
