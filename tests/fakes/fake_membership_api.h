// FakeMembershipApi: an in-memory MembershipApi with the server's team and channel rules
// (docs/server-compatibility.md): team memberships are soft-deleted (a former member stays a
// row with delete_at), leaving a team removes its channels, a channel join needs a current
// team membership, town-square cannot be left, a batch add takes at most 256 users, and a
// team holds at most max_users_per_team members (the server's default is 50). Joining a team
// joins its town-square. Thread-safe; counts requests for tests.
#ifndef ROSTERSYNC_TESTS_FAKES_FAKE_MEMBERSHIP_API_H_
#define ROSTERSYNC_TESTS_FAKES_FAKE_MEMBERSHIP_API_H_

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "sync/membership_api.h"

namespace rostersync::testing {

class FakeMembershipApi : public MembershipApi {
 public:
  // Seeding (ids are "team-<name>" and "chan-<team>-<name>"); a team gets a town-square.
  std::string AddTeam(const std::string& name, bool archived = false,
                      bool group_constrained = false);
  std::string AddChannel(const std::string& team, const std::string& name, bool archived = false,
                         bool group_constrained = false);
  // Memberships made by hand (not through the seam; not counted as writes).
  void SeedTeamMember(const std::string& team_id, const std::string& user_id);
  void SeedChannelMember(const std::string& channel_id, const std::string& user_id);

  bool IsTeamMember(const std::string& team_id, const std::string& user_id) const;
  bool IsChannelMember(const std::string& channel_id, const std::string& user_id) const;
  int ChannelMemberCount(const std::string& channel_id) const;

  void set_max_users_per_team(int n) { max_users_per_team_ = n; }
  // The next batch call adds its users, then fails (a lost answer).
  void FailNextBatchAfterApplying() { fail_batch_ = true; }

  int writes() const { return writes_; }
  int batch_calls() const { return batch_calls_; }
  int single_team_adds() const { return single_team_adds_; }
  int reads() const { return reads_; }

  Result<TeamRef> FindTeam(const std::string& name) override;
  Result<ChannelRef> FindChannel(const std::string& team_id, const std::string& name) override;
  Result<std::vector<std::string>> TeamMembersAmong(
      const std::string& team_id, const std::vector<std::string>& user_ids) override;
  Result<std::vector<std::string>> ChannelMembersAmong(
      const std::string& channel_id, const std::vector<std::string>& user_ids) override;
  Result<std::vector<MemberAddResult>> AddTeamMembers(
      const std::string& team_id, const std::vector<std::string>& user_ids) override;
  Status AddTeamMember(const std::string& team_id, const std::string& user_id) override;
  Status RemoveTeamMember(const std::string& team_id, const std::string& user_id) override;
  Status AddChannelMember(const std::string& channel_id, const std::string& user_id) override;
  Status RemoveChannelMember(const std::string& channel_id, const std::string& user_id) override;

 private:
  struct Team {
    TeamRef ref;
    std::map<std::string, bool> members;  // user id -> current (false: soft-deleted)
    int current = 0;                      // members that are current (kept in step)
  };
  struct Channel {
    ChannelRef ref;
    std::set<std::string> members;
  };
  Status JoinTeamLocked(const std::string& team_id, const std::string& user_id);
  int CurrentMembers(const Team& team) const;

  mutable std::mutex mu_;
  std::map<std::string, Team> teams_;        // by id
  std::map<std::string, Channel> channels_;  // by id
  int max_users_per_team_ = 50;
  bool fail_batch_ = false;
  int writes_ = 0;
  int batch_calls_ = 0;
  int single_team_adds_ = 0;
  int reads_ = 0;
};

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_FAKES_FAKE_MEMBERSHIP_API_H_
