// api::Client as rostersync::MembershipApi: the seam's plain values over the typed team and
// channel methods of client_teams_ops.cc.
#include "api/client.h"

namespace rostersync::api {

Result<TeamRef> Client::FindTeam(const std::string& name) {
  auto team = GetTeamByName(name);
  if (!team.ok()) return team.status();
  TeamRef t;
  t.id = team->id;
  t.name = team->name;
  t.archived = team->IsArchived();
  t.group_constrained = team->group_constrained;
  return t;
}

Result<ChannelRef> Client::FindChannel(const std::string& team_id, const std::string& name) {
  auto channel = GetChannelByName(team_id, name, /*include_deleted=*/true);
  if (!channel.ok()) return channel.status();
  ChannelRef c;
  c.id = channel->id;
  c.team_id = channel->team_id;
  c.name = channel->name;
  c.archived = channel->IsArchived();
  c.group_constrained = channel->group_constrained;
  return c;
}

Result<std::vector<std::string>> Client::TeamMembersAmong(const std::string& team_id,
                                                          const std::vector<std::string>& user_ids) {
  if (user_ids.empty()) return std::vector<std::string>{};
  auto members = GetTeamMembersByIds(team_id, user_ids);
  if (!members.ok()) return members.status();
  std::vector<std::string> out;
  for (const TeamMember& m : *members) {
    if (m.IsCurrent()) out.push_back(m.user_id);
  }
  return out;
}

Result<std::vector<std::string>> Client::ChannelMembersAmong(
    const std::string& channel_id, const std::vector<std::string>& user_ids) {
  if (user_ids.empty()) return std::vector<std::string>{};
  auto members = GetChannelMembersByIds(channel_id, user_ids);
  if (!members.ok()) return members.status();
  std::vector<std::string> out;
  for (const ChannelMember& m : *members) out.push_back(m.user_id);
  return out;
}

Result<std::vector<MemberAddResult>> Client::AddTeamMembers(
    const std::string& team_id, const std::vector<std::string>& user_ids) {
  auto added = AddTeamMembersBatch(team_id, user_ids, /*graceful=*/true);
  if (!added.ok()) return added.status();
  std::vector<MemberAddResult> out;
  for (const TeamMemberWithError& e : *added) {
    MemberAddResult r;
    r.user_id = e.user_id.empty() && e.member ? e.member->user_id : e.user_id;
    r.ok = e.member.has_value() && !e.error.has_value();
    if (e.error) {
      r.error_id = e.error->id;
      r.message = e.error->message;
    }
    out.push_back(std::move(r));
  }
  return out;
}

Status Client::AddTeamMember(const std::string& team_id, const std::string& user_id) {
  auto added = AddTeamMemberRow(team_id, user_id);
  return added.ok() ? Status::Ok() : added.status();
}

Status Client::AddChannelMember(const std::string& channel_id, const std::string& user_id) {
  auto added = AddChannelMemberRow(channel_id, user_id);
  return added.ok() ? Status::Ok() : added.status();
}

}  // namespace rostersync::api
