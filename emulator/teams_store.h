// Teams, channels and memberships of the emulator, with the server's membership rules
// (soft-deleted team members, default channels, MaxUsersPerTeam, group-constrained
// refusals, town-square protection). Lives inside UserStore and is guarded by its mutex:
// callers hold store->mu() (unique for writes) across every call.
#ifndef ROSTERSYNC_TESTS_EMULATOR_TEAMS_STORE_H_
#define ROSTERSYNC_TESTS_EMULATOR_TEAMS_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace mmemu {

class UserStore;

struct EmuTeam {
  std::string id;
  int64_t create_at = 0;
  int64_t update_at = 0;
  int64_t delete_at = 0;  // archived when > 0
  std::string name;       // unique URL handle
  std::string display_name;
  std::string description;
  std::string email;
  std::string type = "O";  // "O" open, "I" invite only
  std::string allowed_domains;
  bool allow_open_invite = false;
  bool group_constrained = false;
  std::set<std::string> group_user_ids;  // users in a group synced to the team
};

struct EmuChannel {
  std::string id;
  int64_t create_at = 0;
  int64_t update_at = 0;
  int64_t delete_at = 0;  // archived when > 0
  std::string team_id;
  std::string type = "O";  // "O" public, "P" private
  std::string name;        // unique per team
  std::string display_name;
  std::string purpose;
  std::string header;
  bool group_constrained = false;
  std::set<std::string> group_user_ids;
};

struct EmuTeamMember {
  std::string team_id;
  std::string user_id;
  int64_t delete_at = 0;  // soft delete: a former member keeps its row
  bool scheme_guest = false;
  bool scheme_user = true;
  bool scheme_admin = false;
  std::string explicit_roles;
};

struct EmuChannelMember {
  std::string channel_id;
  std::string user_id;
  int64_t last_update_at = 0;
  bool scheme_guest = false;
  bool scheme_user = true;
  bool scheme_admin = false;
};

// A refused membership change: HTTP status and the server's error id ("" = success).
struct MemberError {
  int status = 0;
  std::string id;
  std::string message;
  bool ok() const { return id.empty(); }
};

class TeamStore {
 public:
  // TeamSettings.MaxUsersPerTeam (server default 50).
  int max_users_per_team = 50;

  EmuTeam* AddTeam(std::unique_ptr<EmuTeam> team);
  // Also indexes the channel under its team; the team must exist.
  EmuChannel* AddChannel(std::unique_ptr<EmuChannel> channel);
  EmuTeam* FindTeam(const std::string& id) const;
  EmuTeam* FindTeamByName(const std::string& name) const;
  EmuChannel* FindChannel(const std::string& id) const;
  EmuChannel* FindChannelByName(const std::string& team_id, const std::string& name) const;
  // All teams, ORDER BY display_name (then id, to be deterministic).
  std::vector<const EmuTeam*> TeamsByDisplayName() const;
  std::vector<const EmuChannel*> ChannelsOf(const std::string& team_id) const;

  // Team member rows (current and former) keyed by user id: std::map gives ORDER BY UserId.
  const std::map<std::string, EmuTeamMember>& TeamMembers(const std::string& team_id) const;
  const EmuTeamMember* TeamMember(const std::string& team_id, const std::string& user_id) const;
  bool IsCurrentTeamMember(const std::string& team_id, const std::string& user_id) const;
  // The current rows of a team in user-id order, cached between writes, so paging is an
  // index (safe under the shared store lock: the cache has its own mutex).
  using MemberList = std::vector<const EmuTeamMember*>;
  std::shared_ptr<const MemberList> CurrentTeamMembers(const std::string& team_id) const;
  const std::map<std::string, EmuChannelMember>& ChannelMembers(const std::string& id) const;
  const EmuChannelMember* ChannelMember(const std::string& channel_id,
                                        const std::string& user_id) const;

  // Forgets every membership of a permanently deleted user.
  void EraseUser(const std::string& user_id);

 private:
  friend MemberError JoinTeam(UserStore*, const EmuTeam&, const std::string&, bool,
                              const EmuTeamMember**);
  friend MemberError LeaveTeam(UserStore*, const EmuTeam&, const std::string&, bool);
  friend MemberError JoinChannel(UserStore*, const EmuChannel&, const std::string&, bool,
                                 const EmuChannelMember**);
  friend MemberError LeaveChannel(UserStore*, const EmuChannel&, const std::string&, bool);

  std::unordered_map<std::string, std::unique_ptr<EmuTeam>> teams_;
  std::unordered_map<std::string, EmuTeam*> team_by_name_;
  std::unordered_map<std::string, std::unique_ptr<EmuChannel>> channels_;
  std::unordered_map<std::string, EmuChannel*> channel_by_key_;  // team_id + "/" + name
  std::unordered_map<std::string, std::vector<EmuChannel*>> channels_of_team_;
  std::unordered_map<std::string, std::map<std::string, EmuTeamMember>> team_members_;
  std::unordered_map<std::string, std::map<std::string, EmuChannelMember>> channel_members_;
  mutable std::mutex cache_mu_;  // guards current_cache_ (readers fill it)
  mutable std::unordered_map<std::string, std::shared_ptr<const MemberList>> current_cache_;
  // Writers hold the unique store lock, so no reader is filling the cache meanwhile.
  void Invalidate(const std::string& team_id) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    current_cache_.erase(team_id);
  }
};

// The membership rules. `check_rules` false (seeding) skips the group and size checks.
// JoinTeam: POST /teams/{id}/members for an existing user: idempotent for a current member,
// reactivates a former one, joins town-square and off-topic (not for guests).
MemberError JoinTeam(UserStore* store, const EmuTeam& team, const std::string& user_id,
                     bool check_rules, const EmuTeamMember** out);
// DELETE /teams/{id}/members/{user_id}: soft delete plus removal from every channel.
MemberError LeaveTeam(UserStore* store, const EmuTeam& team, const std::string& user_id,
                      bool check_rules);
// POST /channels/{id}/members: needs a current team membership; idempotent.
MemberError JoinChannel(UserStore* store, const EmuChannel& channel, const std::string& user_id,
                        bool check_rules, const EmuChannelMember** out);
// DELETE /channels/{id}/members/{user_id}: town-square refused; non-member 404.
MemberError LeaveChannel(UserStore* store, const EmuChannel& channel, const std::string& user_id,
                         bool check_rules);

// JSON views (model.Team, model.Channel, model.TeamMember, model.ChannelMember).
std::string TeamJson(const EmuTeam& team);
std::string ChannelJson(const EmuChannel& channel);
std::string TeamMemberJson(const EmuTeamMember& member);
std::string ChannelMemberJson(const EmuChannelMember& member);
// {"teams":[team + "members" + "channels":[channel + "member_ids"]]} members, for /__emu/state.
std::string TeamsStateJsonMember(const TeamStore& teams);

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_TEAMS_STORE_H_
