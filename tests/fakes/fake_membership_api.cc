// FakeMembershipApi: the server's membership rules in memory (fake_membership_api.h).
#include "tests/fakes/fake_membership_api.h"

namespace rostersync::testing {
namespace {

Status WithId(Status s, const std::string& error_id, int http) {
  return s.WithHttp(http, "", error_id);
}

}  // namespace

std::string FakeMembershipApi::AddTeam(const std::string& name, bool archived,
                                       bool group_constrained) {
  std::lock_guard<std::mutex> lock(mu_);
  Team t;
  t.ref = {"team-" + name, name, archived, group_constrained};
  teams_[t.ref.id] = t;
  Channel town;
  town.ref = {"chan-" + name + "-town-square", t.ref.id, "town-square", false, false};
  channels_[town.ref.id] = town;
  return t.ref.id;
}

std::string FakeMembershipApi::AddChannel(const std::string& team, const std::string& name,
                                          bool archived, bool group_constrained) {
  std::lock_guard<std::mutex> lock(mu_);
  Channel c;
  c.ref = {"chan-" + team + "-" + name, "team-" + team, name, archived, group_constrained};
  channels_[c.ref.id] = c;
  return c.ref.id;
}

void FakeMembershipApi::SeedTeamMember(const std::string& team_id, const std::string& user_id) {
  std::lock_guard<std::mutex> lock(mu_);
  Team& team = teams_[team_id];
  bool& current = team.members[user_id];
  team.current += !current;
  current = true;
}

void FakeMembershipApi::SeedChannelMember(const std::string& channel_id,
                                          const std::string& user_id) {
  std::lock_guard<std::mutex> lock(mu_);
  channels_[channel_id].members.insert(user_id);
}

bool FakeMembershipApi::IsTeamMember(const std::string& team_id, const std::string& user_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto t = teams_.find(team_id);
  if (t == teams_.end()) return false;
  auto m = t->second.members.find(user_id);
  return m != t->second.members.end() && m->second;
}

bool FakeMembershipApi::IsChannelMember(const std::string& channel_id,
                                        const std::string& user_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto c = channels_.find(channel_id);
  return c != channels_.end() && c->second.members.count(user_id) > 0;
}

int FakeMembershipApi::ChannelMemberCount(const std::string& channel_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto c = channels_.find(channel_id);
  return c == channels_.end() ? 0 : static_cast<int>(c->second.members.size());
}

int FakeMembershipApi::CurrentMembers(const Team& team) const {
  return team.current;
}

Result<TeamRef> FakeMembershipApi::FindTeam(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  ++reads_;
  for (const auto& [id, t] : teams_) {
    if (t.ref.name == name) return t.ref;
  }
  return WithId(Status::NotFound("team " + name), "app.team.get_by_name.missing.app_error", 404);
}

Result<ChannelRef> FakeMembershipApi::FindChannel(const std::string& team_id,
                                                  const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  ++reads_;
  for (const auto& [id, c] : channels_) {
    if (c.ref.team_id == team_id && c.ref.name == name) return c.ref;
  }
  return WithId(Status::NotFound("channel " + name), "app.channel.get_by_name.missing.app_error",
                404);
}

Result<std::vector<std::string>> FakeMembershipApi::TeamMembersAmong(
    const std::string& team_id, const std::vector<std::string>& user_ids) {
  std::lock_guard<std::mutex> lock(mu_);
  ++reads_;
  std::vector<std::string> out;
  auto t = teams_.find(team_id);
  if (t == teams_.end()) return out;
  for (const std::string& id : user_ids) {
    auto m = t->second.members.find(id);
    if (m != t->second.members.end() && m->second) out.push_back(id);
  }
  return out;
}

Result<std::vector<std::string>> FakeMembershipApi::ChannelMembersAmong(
    const std::string& channel_id, const std::vector<std::string>& user_ids) {
  std::lock_guard<std::mutex> lock(mu_);
  ++reads_;
  std::vector<std::string> out;
  auto c = channels_.find(channel_id);
  if (c == channels_.end()) return out;
  for (const std::string& id : user_ids) {
    if (c->second.members.count(id)) out.push_back(id);
  }
  return out;
}

Status FakeMembershipApi::JoinTeamLocked(const std::string& team_id, const std::string& user_id) {
  auto t = teams_.find(team_id);
  if (t == teams_.end()) {
    return WithId(Status::NotFound("team"), "app.team.get.find.app_error", 404);
  }
  auto m = t->second.members.find(user_id);
  if (m != t->second.members.end() && m->second) return Status::Ok();  // 201 for a member
  if (CurrentMembers(t->second) >= max_users_per_team_) {
    return WithId(Status::Invalid("This team has reached the maximum number of allowed accounts."),
                  "app.team.join_user_to_team.save_member.max_accounts.app_error", 400);
  }
  t->second.members[user_id] = true;
  ++t->second.current;
  for (auto& [id, c] : channels_) {
    if (c.ref.team_id == team_id && c.ref.name == "town-square") c.members.insert(user_id);
  }
  return Status::Ok();
}

Result<std::vector<MemberAddResult>> FakeMembershipApi::AddTeamMembers(
    const std::string& team_id, const std::vector<std::string>& user_ids) {
  std::lock_guard<std::mutex> lock(mu_);
  if (static_cast<int>(user_ids.size()) > kMaxBatch) {
    return Status::Invalid("too many users in one batch");
  }
  ++batch_calls_;
  ++writes_;
  std::vector<MemberAddResult> out;
  for (const std::string& id : user_ids) {
    Status s = JoinTeamLocked(team_id, id);
    out.push_back({id, s.ok(), s.error_id(), s.ok() ? "" : s.message()});
  }
  if (fail_batch_) {
    fail_batch_ = false;
    return Status::OutcomeUnknown("connection reset after the batch was sent");
  }
  return out;
}

Status FakeMembershipApi::AddTeamMember(const std::string& team_id, const std::string& user_id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++writes_;
  ++single_team_adds_;
  return JoinTeamLocked(team_id, user_id);
}

Status FakeMembershipApi::RemoveTeamMember(const std::string& team_id, const std::string& user_id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++writes_;
  auto t = teams_.find(team_id);
  if (t == teams_.end()) return WithId(Status::NotFound("team"), "app.team.get.find.app_error", 404);
  auto m = t->second.members.find(user_id);
  if (m == t->second.members.end() || !m->second) {
    return WithId(Status::Invalid("not a member"),
                  "api.team.remove_user_from_team.missing.app_error", 400);
  }
  m->second = false;  // soft delete
  --t->second.current;
  for (auto& [id, c] : channels_) {
    if (c.ref.team_id == team_id) c.members.erase(user_id);
  }
  return Status::Ok();
}

Status FakeMembershipApi::AddChannelMember(const std::string& channel_id,
                                           const std::string& user_id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++writes_;
  auto c = channels_.find(channel_id);
  if (c == channels_.end()) {
    return WithId(Status::NotFound("channel"), "app.channel.get.existing.app_error", 404);
  }
  const Team& team = teams_[c->second.ref.team_id];
  auto m = team.members.find(user_id);
  if (m == team.members.end()) {
    return WithId(Status::NotFound("not a team member"), "app.team.get_member.missing.app_error",
                  404);
  }
  if (!m->second) {
    return WithId(Status::Invalid("a former team member"),
                  "api.channel.add_user.to.channel.failed.deleted.app_error", 400);
  }
  c->second.members.insert(user_id);
  return Status::Ok();
}

Status FakeMembershipApi::RemoveChannelMember(const std::string& channel_id,
                                              const std::string& user_id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++writes_;
  auto c = channels_.find(channel_id);
  if (c == channels_.end()) {
    return WithId(Status::NotFound("channel"), "app.channel.get.existing.app_error", 404);
  }
  if (c->second.ref.name == "town-square") {
    return WithId(Status::Invalid("town-square cannot be left"), "api.channel.remove.default.app_error",
                  400);
  }
  if (c->second.members.erase(user_id) == 0) {
    return WithId(Status::NotFound("not a member"), "app.channel.get_member.missing.app_error", 404);
  }
  return Status::Ok();
}

}  // namespace rostersync::testing
