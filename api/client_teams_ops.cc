// api::Client: the team, channel and membership routes the MembershipApi seam is built on
// (api/README.md, "Teams and channels"). Every page of a list: api/sdk/sdk_teams_ops.cc.
#include <algorithm>

#include "api/client_internal.h"

namespace rostersync::api {

namespace {

const std::string kTeams = "/api/v4/teams";
const std::string kChannels = "/api/v4/channels";

std::string TeamPath(const std::string& team_id, const std::string& rest) {
  return kTeams + "/" + Seg(team_id) + rest;
}

std::string ChannelPath(const std::string& channel_id, const std::string& rest) {
  return kChannels + "/" + Seg(channel_id) + rest;
}

std::string MemberBody(const std::string& team_id, const std::string& user_id) {
  return EncodeStringFields({{"team_id", team_id}, {"user_id", user_id}});
}

}  // namespace

Result<Team> Client::GetTeamByName(const std::string& name) {
  return CallJson<Team>("GET", kTeams + "/name/" + Seg(name), kTeams + "/name/{name}");
}

Result<Channel> Client::GetChannelByName(const std::string& team_id, const std::string& name,
                                         bool include_deleted) {
  Query q;
  if (include_deleted) q.Bool("include_deleted", true);
  return CallJson<Channel>("GET", TeamPath(team_id, "/channels/name/" + Seg(name)) + q.str(),
                           kTeams + "/{team_id}/channels/name/{channel_name}");
}

Result<TeamMember> Client::AddTeamMemberRow(const std::string& team_id, const std::string& user_id) {
  return CallJson<TeamMember>("POST", TeamPath(team_id, "/members"),
                              kTeams + "/{team_id}/members", MemberBody(team_id, user_id),
                              /*read_only_post=*/true);
}

Result<std::vector<TeamMemberWithError>> Client::AddTeamMembersBatch(
    const std::string& team_id, const std::vector<std::string>& user_ids, bool graceful) {
  if (user_ids.empty() || static_cast<int>(user_ids.size()) > kMaxTeamMembersBatch) {
    return Status::Invalid("adding team members in a batch: " + std::to_string(user_ids.size()) +
                           " users; the server takes 1 to " +
                           std::to_string(kMaxTeamMembersBatch));
  }
  std::string body = "[";
  for (std::size_t i = 0; i < user_ids.size(); ++i) {
    if (i) body += ",";
    body += MemberBody(team_id, user_ids[i]);
  }
  body += "]";
  const std::string path = TeamPath(team_id, "/members/batch");
  const std::string route = kTeams + "/{team_id}/members/batch";
  if (graceful) {
    return CallJson<std::vector<TeamMemberWithError>>("POST", path + "?graceful=true", route,
                                                      body, true);
  }
  auto added = CallJson<std::vector<TeamMember>>("POST", path, route, body, true);
  if (!added.ok()) return added.status();
  std::vector<TeamMemberWithError> out;
  out.reserve(added->size());
  for (TeamMember& m : *added) {
    TeamMemberWithError r;
    r.user_id = m.user_id;
    r.member = std::move(m);
    out.push_back(std::move(r));
  }
  return out;
}

Status Client::RemoveTeamMember(const std::string& team_id, const std::string& user_id) {
  return CallJson<StatusOK>("DELETE", TeamPath(team_id, "/members/" + Seg(user_id)),
                            kTeams + "/{team_id}/members/{user_id}")
      .status();
}

Result<std::vector<TeamMember>> Client::GetTeamMembersByIds(
    const std::string& team_id, const std::vector<std::string>& user_ids) {
  std::vector<TeamMember> out;
  for (std::size_t i = 0; i < user_ids.size(); i += kMembersByIdsChunk) {
    std::vector<std::string> chunk(
        user_ids.begin() + i,
        user_ids.begin() + std::min(user_ids.size(), i + kMembersByIdsChunk));
    auto part = CallJson<std::vector<TeamMember>>("POST", TeamPath(team_id, "/members/ids"),
                                                  kTeams + "/{team_id}/members/ids",
                                                  EncodeStringArray(chunk), true);
    if (!part.ok()) return part.status();
    for (TeamMember& m : *part) out.push_back(std::move(m));
  }
  return out;
}

Result<ChannelMember> Client::AddChannelMemberRow(const std::string& channel_id,
                                               const std::string& user_id) {
  return CallJson<ChannelMember>("POST", ChannelPath(channel_id, "/members"),
                                 kChannels + "/{channel_id}/members",
                                 EncodeStringFields({{"user_id", user_id}}), true);
}

Status Client::RemoveChannelMember(const std::string& channel_id, const std::string& user_id) {
  return CallJson<StatusOK>("DELETE", ChannelPath(channel_id, "/members/" + Seg(user_id)),
                            kChannels + "/{channel_id}/members/{user_id}")
      .status();
}

Result<std::vector<ChannelMember>> Client::GetChannelMembersByIds(
    const std::string& channel_id, const std::vector<std::string>& user_ids) {
  std::vector<ChannelMember> out;
  for (std::size_t i = 0; i < user_ids.size(); i += kMembersByIdsChunk) {
    std::vector<std::string> chunk(
        user_ids.begin() + i,
        user_ids.begin() + std::min(user_ids.size(), i + kMembersByIdsChunk));
    auto part = CallJson<std::vector<ChannelMember>>("POST", ChannelPath(channel_id, "/members/ids"),
                                                     kChannels + "/{channel_id}/members/ids",
                                                     EncodeStringArray(chunk), true);
    if (!part.ok()) return part.status();
    for (ChannelMember& m : *part) out.push_back(std::move(m));
  }
  return out;
}

}  // namespace rostersync::api
