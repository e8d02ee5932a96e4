// Value types for the Users API models that sync/user.h does not already define
// (User, UserPatch, NewUser, UserAccessToken live there). Plain structs, no Poco types;
// api/json_codec.h converts them. Absent optional fields are std::nullopt.
#ifndef ROSTERSYNC_API_MODELS_H_
#define ROSTERSYNC_API_MODELS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sync/user.h"
#include "sync/users_api.h"

namespace rostersync::api {

struct StatusOK {
  std::string status;  // "ok"
};

struct UserAuthData {
  std::string auth_data;
  std::string auth_service;
};

struct UserAccessTokenSanitized {
  std::string id;
  std::string user_id;
  std::string description;
  bool is_active = false;
};

struct Session {
  std::string id;
  std::string user_id;
  std::string device_id;
  std::string roles;
  int64_t create_at = 0;
  int64_t expires_at = 0;
  int64_t last_activity_at = 0;
  bool is_oauth = false;
  StringMap props;
  // "token" is deliberately not decoded: it is another user's secret.
};

struct Audit {
  std::string id;
  int64_t create_at = 0;
  std::string user_id;
  std::string action;
  std::string extra_info;
  std::string ip_address;
  std::string session_id;
};

struct UsersStats {
  int64_t total_users_count = 0;
};

struct UserAutocomplete {
  std::vector<User> users;
  std::vector<User> out_of_channel;
};

struct UserReport {
  std::string id;
  int64_t create_at = 0;
  std::string username;
  std::string email;
  std::string display_name;
  std::optional<int64_t> last_login_at;
  std::optional<int64_t> last_status_at;
  std::optional<int64_t> last_post_date;
  std::optional<int64_t> days_active;
  std::optional<int64_t> total_posts;
};

struct ServerLimits {
  int64_t max_users_limit = 0;    // maxUsersLimit
  int64_t active_user_count = 0;  // activeUserCount
};

struct ChannelMemberWithTeamData {
  std::string channel_id;
  std::string user_id;
  std::string roles;
  int64_t last_viewed_at = 0;
  int64_t msg_count = 0;
  int64_t mention_count = 0;
  int64_t last_update_at = 0;
  StringMap notify_props;
  std::string team_display_name;
  std::string team_name;
  int64_t team_update_at = 0;
};

struct UploadSession {
  std::string id;
  std::string type;  // "attachment" | "import"
  int64_t create_at = 0;
  std::string user_id;
  std::string channel_id;
  std::string filename;
  int64_t file_size = 0;
  int64_t file_offset = 0;
};

struct UserTermsOfService {
  std::string user_id;
  std::string terms_of_service_id;
  int64_t create_at = 0;
};

struct MfaSecret {
  std::string secret;   // a secret: never logged
  std::string qr_code;  // base64 PNG
};

struct SwitchAccountTypeResult {
  std::string follow_link;
};

// A binary answer (profile images).
struct Blob {
  std::string content_type;
  std::string data;
};

// ---- request parameter structs (only set fields are sent) ----

struct LoginRequest {
  std::optional<std::string> id;
  std::optional<std::string> login_id;
  std::optional<std::string> token;
  std::optional<std::string> device_id;
  std::optional<bool> ldap_only;
  std::optional<std::string> password;  // secret
};

struct SearchUsersRequest {
  std::string term;
  std::optional<std::string> team_id;
  std::optional<std::string> not_in_team_id;
  std::optional<std::string> in_channel_id;
  std::optional<std::string> not_in_channel_id;
  std::optional<std::string> in_group_id;
  std::optional<bool> group_constrained;
  std::optional<bool> allow_inactive;
  std::optional<bool> without_team;
  std::optional<int> limit;
};

struct UsersStatsFilter {
  std::optional<std::string> in_team;
  std::optional<std::string> in_channel;
  std::optional<bool> include_deleted;
  std::optional<bool> include_bots;
  std::optional<std::string> roles;
  std::optional<std::string> channel_roles;
  std::optional<std::string> team_roles;
};

// GET /reports/users and /reports/users/count (the count ignores the paging fields).
struct UserReportQuery {
  std::optional<std::string> sort_column;
  std::optional<std::string> direction;
  std::optional<std::string> sort_direction;
  std::optional<int> page_size;
  std::optional<std::string> from_column_value;
  std::optional<std::string> from_id;
  std::optional<std::string> date_range;
  std::optional<std::string> role_filter;
  std::optional<std::string> team_filter;
  std::optional<bool> has_no_team;
  std::optional<bool> hide_active;
  std::optional<bool> hide_inactive;
  std::optional<std::string> search_term;
};

struct SwitchAccountTypeRequest {
  std::string current_service;
  std::string new_service;
  std::optional<std::string> email;
  std::optional<std::string> password;  // secret
  std::optional<std::string> mfa_code;
  std::optional<std::string> ldap_id;
};

// Full-update body for PUT /users/{id}; the server resets omitted fields, so prefer PatchUser.
struct UserUpdate {
  std::string id;
  std::string email;
  std::string username;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> nickname;
  std::optional<std::string> locale;
  std::optional<std::string> position;
  std::optional<StringMap> timezone;
  std::optional<StringMap> props;
  std::optional<StringMap> notify_props;
};

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_MODELS_H_
