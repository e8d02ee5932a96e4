// MembershipApi: the seam between rostersync and a Mattermost server's team and channel
// membership routes. Implemented over HTTP by api::Client and in memory by
// tests/fakes/fake_membership_api.h. Thread-safe like UsersApi. Plain values only.
#ifndef ROSTERSYNC_SYNC_MEMBERSHIP_API_H_
#define ROSTERSYNC_SYNC_MEMBERSHIP_API_H_

#include <string>
#include <vector>

#include "sync/status.h"

namespace rostersync {

struct TeamRef {
  std::string id;
  std::string name;
  bool archived = false;
  bool group_constrained = false;
};

struct ChannelRef {
  std::string id;
  std::string team_id;
  std::string name;
  bool archived = false;
  bool group_constrained = false;
};

// One user's answer inside a batch add: ok, or the server's error id and message.
struct MemberAddResult {
  std::string user_id;
  bool ok = false;
  std::string error_id;  // e.g. "app.team.join_user_to_team.save_member.max_accounts.app_error"
  std::string message;
};

class MembershipApi {
 public:
  // The server's MaxAddMembersBatch: a batch add takes at most this many users.
  static constexpr int kMaxBatch = 256;

  virtual ~MembershipApi() = default;

  // GET /teams/name/{name}; archived teams too (archived set). NotFound when absent.
  virtual Result<TeamRef> FindTeam(const std::string& name) = 0;
  // GET /teams/{team_id}/channels/name/{name} (archived ones too). NotFound when absent.
  virtual Result<ChannelRef> FindChannel(const std::string& team_id, const std::string& name) = 0;

  // POST .../members/ids: the ids among `user_ids` that are current members.
  virtual Result<std::vector<std::string>> TeamMembersAmong(
      const std::string& team_id, const std::vector<std::string>& user_ids) = 0;
  virtual Result<std::vector<std::string>> ChannelMembersAmong(
      const std::string& channel_id, const std::vector<std::string>& user_ids) = 0;

  // POST /teams/{team_id}/members/batch?graceful=true: one result per user; at most kMaxBatch
  // ids (Invalid, nothing sent, above it). A failed call may still have added some.
  virtual Result<std::vector<MemberAddResult>> AddTeamMembers(
      const std::string& team_id, const std::vector<std::string>& user_ids) = 0;
  // POST /teams/{team_id}/members: idempotent (an existing member answers 201).
  virtual Status AddTeamMember(const std::string& team_id, const std::string& user_id) = 0;
  // DELETE /teams/{team_id}/members/{user_id}: also removes the user from every channel of the
  // team. Not a current member: Invalid.
  virtual Status RemoveTeamMember(const std::string& team_id, const std::string& user_id) = 0;
  // POST /channels/{channel_id}/members: needs a current team membership.
  virtual Status AddChannelMember(const std::string& channel_id, const std::string& user_id) = 0;
  // DELETE /channels/{channel_id}/members/{user_id}: not a member is NotFound; town-square
  // is Invalid.
  virtual Status RemoveChannelMember(const std::string& channel_id,
                                     const std::string& user_id) = 0;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_MEMBERSHIP_API_H_
