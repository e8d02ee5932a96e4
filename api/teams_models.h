// Value types for the Mattermost teams, channels and membership routes that api::Client
// speaks (see api/README.md, "Teams and channels"). Plain structs, no Poco types;
// api/json_codec.h decodes them. Keys follow the server's JSON, including fields the
// official spec omits (scheme_guest, group_constrained).
#ifndef ROSTERSYNC_API_TEAMS_MODELS_H_
#define ROSTERSYNC_API_TEAMS_MODELS_H_

#include <cstdint>
#include <optional>
#include <string>

namespace rostersync::api {

struct Team {
  std::string id;
  std::string name;  // unique URL handle
  std::string display_name;
  std::string type;  // "O" open, "I" invite only
  int64_t create_at = 0;
  int64_t update_at = 0;
  int64_t delete_at = 0;  // > 0: archived
  // null and false both mean "not group-constrained".
  bool group_constrained = false;
  bool allow_open_invite = false;
  bool IsArchived() const { return delete_at > 0; }
};

struct Channel {
  std::string id;
  std::string team_id;
  std::string name;  // unique per team; can be renamed
  std::string display_name;
  std::string type;  // "O" public, "P" private, "D"/"G" direct/group messages
  int64_t create_at = 0;
  int64_t update_at = 0;
  int64_t delete_at = 0;  // > 0: archived
  bool group_constrained = false;
  bool IsArchived() const { return delete_at > 0; }
};

// A team membership row. Removal is a soft delete: a former member reads back with
// delete_at > 0. Decide "team admin" from scheme_admin, not from roles.
struct TeamMember {
  std::string team_id;
  std::string user_id;
  std::string roles;
  int64_t delete_at = 0;
  bool scheme_guest = false;
  bool scheme_user = false;
  bool scheme_admin = false;
  std::string explicit_roles;
  bool IsCurrent() const { return delete_at == 0; }
};

// A channel membership (hard-deleted on removal: no delete_at).
struct ChannelMember {
  std::string channel_id;
  std::string user_id;
  std::string roles;
  int64_t last_update_at = 0;
  bool scheme_guest = false;
  bool scheme_user = false;
  bool scheme_admin = false;
};

// The server's AppError as carried inside a graceful batch answer.
struct AppErrorInfo {
  std::string id;  // e.g. "app.team.join_user_to_team.save_member.max_accounts.app_error"
  std::string message;
  int64_t status_code = 0;
};

// One entry of POST /teams/{team_id}/members/batch: with `graceful` the server answers one
// per user (member or error); without it the client wraps each added member.
struct TeamMemberWithError {
  std::string user_id;
  std::optional<TeamMember> member;
  std::optional<AppErrorInfo> error;
};

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_TEAMS_MODELS_H_
