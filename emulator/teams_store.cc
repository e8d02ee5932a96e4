#include "emulator/teams_store.h"

#include <algorithm>
#include <cctype>

#include "emulator/user_store.h"

namespace mmemu {

namespace {

const std::map<std::string, EmuTeamMember> kNoTeamMembers;
const std::map<std::string, EmuChannelMember> kNoChannelMembers;

MemberError Refuse(int status, const std::string& id, const std::string& message) {
  return MemberError{status, id, message};
}

bool IsBot(UserStore* store, const std::string& user_id) {
  const EmuUser* u = store->FindById(user_id);
  return u && u->is_bot;
}

// Current memberships of active users (the server's MaxUsersPerTeam count).
int ActiveMemberCount(UserStore* store, const std::map<std::string, EmuTeamMember>& rows) {
  int n = 0;
  for (const auto& [user_id, m] : rows) {
    const EmuUser* u = store->FindById(user_id);
    if (m.delete_at == 0 && u && u->IsActive()) ++n;
  }
  return n;
}

// IsTeamEmailAllowed for a non-guest: the lower-cased email ends in "@<domain>" for one of
// the team's allowed domains (split on spaces and commas, "@" optional). Exact domains only.
bool EmailAllowed(const EmuTeam& team, const std::string& email) {
  if (team.allowed_domains.empty()) return true;
  std::string domain;
  std::string list = team.allowed_domains + " ";
  for (char ch : list) {
    if (ch != ' ' && ch != ',') {
      domain.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
      continue;
    }
    if (!domain.empty() && domain.front() == '@') domain.erase(0, 1);
    const std::string suffix = "@" + domain;
    if (!domain.empty() && email.size() > suffix.size() &&
        email.compare(email.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return true;
    }
    domain.clear();
  }
  return false;
}

}  // namespace

EmuTeam* TeamStore::AddTeam(std::unique_ptr<EmuTeam> team) {
  EmuTeam* t = team.get();
  team_by_name_[t->name] = t;
  teams_[t->id] = std::move(team);
  return t;
}

EmuChannel* TeamStore::AddChannel(std::unique_ptr<EmuChannel> channel) {
  EmuChannel* c = channel.get();
  channel_by_key_[c->team_id + "/" + c->name] = c;
  channels_of_team_[c->team_id].push_back(c);
  channels_[c->id] = std::move(channel);
  return c;
}

EmuTeam* TeamStore::FindTeam(const std::string& id) const {
  auto it = teams_.find(id);
  return it == teams_.end() ? nullptr : it->second.get();
}

EmuTeam* TeamStore::FindTeamByName(const std::string& name) const {
  auto it = team_by_name_.find(name);
  return it == team_by_name_.end() ? nullptr : it->second;
}

EmuChannel* TeamStore::FindChannel(const std::string& id) const {
  auto it = channels_.find(id);
  return it == channels_.end() ? nullptr : it->second.get();
}

EmuChannel* TeamStore::FindChannelByName(const std::string& team_id,
                                         const std::string& name) const {
  auto it = channel_by_key_.find(team_id + "/" + name);
  return it == channel_by_key_.end() ? nullptr : it->second;
}

std::vector<const EmuTeam*> TeamStore::TeamsByDisplayName() const {
  std::vector<const EmuTeam*> out;
  for (const auto& [id, t] : teams_) out.push_back(t.get());
  std::sort(out.begin(), out.end(), [](const EmuTeam* a, const EmuTeam* b) {
    return a->display_name != b->display_name ? a->display_name < b->display_name : a->id < b->id;
  });
  return out;
}

std::vector<const EmuChannel*> TeamStore::ChannelsOf(const std::string& team_id) const {
  auto it = channels_of_team_.find(team_id);
  if (it == channels_of_team_.end()) return {};
  return std::vector<const EmuChannel*>(it->second.begin(), it->second.end());
}

const std::map<std::string, EmuTeamMember>& TeamStore::TeamMembers(
    const std::string& team_id) const {
  auto it = team_members_.find(team_id);
  return it == team_members_.end() ? kNoTeamMembers : it->second;
}

const EmuTeamMember* TeamStore::TeamMember(const std::string& team_id,
                                           const std::string& user_id) const {
  const auto& rows = TeamMembers(team_id);
  auto it = rows.find(user_id);
  return it == rows.end() ? nullptr : &it->second;
}

bool TeamStore::IsCurrentTeamMember(const std::string& team_id, const std::string& user_id) const {
  const EmuTeamMember* m = TeamMember(team_id, user_id);
  return m && m->delete_at == 0;
}

const std::map<std::string, EmuChannelMember>& TeamStore::ChannelMembers(
    const std::string& id) const {
  auto it = channel_members_.find(id);
  return it == channel_members_.end() ? kNoChannelMembers : it->second;
}

const EmuChannelMember* TeamStore::ChannelMember(const std::string& channel_id,
                                                 const std::string& user_id) const {
  const auto& rows = ChannelMembers(channel_id);
  auto it = rows.find(user_id);
  return it == rows.end() ? nullptr : &it->second;
}

std::shared_ptr<const TeamStore::MemberList> TeamStore::CurrentTeamMembers(
    const std::string& team_id) const {
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto& slot = current_cache_[team_id];
  if (!slot) {
    auto list = std::make_shared<MemberList>();
    for (const auto& [user_id, m] : TeamMembers(team_id)) {
      if (m.delete_at == 0) list->push_back(&m);
    }
    slot = std::move(list);
  }
  return slot;
}

void TeamStore::EraseUser(const std::string& user_id) {
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    current_cache_.clear();
  }
  for (auto& [team_id, rows] : team_members_) rows.erase(user_id);
  for (auto& [channel_id, rows] : channel_members_) rows.erase(user_id);
}

MemberError JoinTeam(UserStore* store, const EmuTeam& team, const std::string& user_id,
                     bool check_rules, const EmuTeamMember** out) {
  TeamStore& ts = store->teams();
  const EmuUser* user = store->FindById(user_id);
  if (!user) return Refuse(404, "app.user.missing_account.const", "Unable to find the user.");
  if (check_rules && team.group_constrained && !user->is_bot &&
      !team.group_user_ids.count(user_id)) {
    return Refuse(400, "api.team.add_members.user_denied",
                  "This team is managed by groups. This user is not part of a group that is "
                  "synced to this team.");
  }
  auto& rows = ts.team_members_[team.id];
  auto it = rows.find(user_id);
  if (it != rows.end() && it->second.delete_at == 0) {  // alreadyAdded: nothing else happens
    *out = &it->second;
    return {};
  }
  if (check_rules && !user->IsGuest() && !user->is_bot &&
      !EmailAllowed(team, ToLower(user->email))) {
    return Refuse(400, "api.team.join_user_to_team.allowed_domains.app_error",
                  "The user cannot be added as the domain associated with the account is not "
                  "permitted.");
  }
  // The active count is at most the row count, so only count exactly near the limit.
  const bool near_limit = static_cast<int>(rows.size()) >= ts.max_users_per_team;
  if (check_rules && near_limit && ActiveMemberCount(store, rows) >= ts.max_users_per_team) {
    if (it != rows.end()) {
      return Refuse(400, "app.team.join_user_to_team.max_accounts.app_error",
                    "This team has reached the maximum number of allowed accounts. Contact your "
                    "System Admin to set a higher limit.");
    }
    return Refuse(400, "app.team.join_user_to_team.save_member.max_accounts.app_error",
                  "This team has reached the maximum number of allowed accounts. Contact your "
                  "System Admin to set a higher limit.");
  }
  ts.Invalidate(team.id);
  EmuTeamMember m;  // a former member's row is overwritten: explicit roles and admin are gone
  m.team_id = team.id;
  m.user_id = user_id;
  m.scheme_guest = user->IsGuest();
  m.scheme_user = !m.scheme_guest;
  m.scheme_admin = !team.email.empty() && team.email == user->email;
  rows[user_id] = m;
  *out = &rows[user_id];
  if (m.scheme_guest) return {};  // guests get no default channels
  for (const char* name : {"town-square", "off-topic"}) {
    const EmuChannel* c = ts.FindChannelByName(team.id, name);
    if (!c || c->type != "O" || c->delete_at != 0) continue;
    const EmuChannelMember* ignored = nullptr;
    JoinChannel(store, *c, user_id, false, &ignored);
  }
  return {};
}

MemberError LeaveTeam(UserStore* store, const EmuTeam& team, const std::string& user_id,
                      bool check_rules) {
  TeamStore& ts = store->teams();
  if (check_rules && team.group_constrained && !IsBot(store, user_id)) {
    return Refuse(400, "api.team.remove_member.group_constrained.app_error",
                  "Unable to remove a user from a group-constrained team.");
  }
  auto& rows = ts.team_members_[team.id];
  auto it = rows.find(user_id);
  if (it == rows.end()) {  // a former member (delete_at > 0) is "removed" again
    return Refuse(400, "api.team.remove_user_from_team.missing.app_error",
                  "The user does not appear to be part of this team.");
  }
  ts.Invalidate(team.id);
  it->second.delete_at = std::max(NowMs(), it->second.delete_at + 1);
  it->second.explicit_roles.clear();
  for (const EmuChannel* c : ts.ChannelsOf(team.id)) {  // archived and private ones too
    ts.channel_members_[c->id].erase(user_id);
  }
  return {};
}

MemberError JoinChannel(UserStore* store, const EmuChannel& channel, const std::string& user_id,
                        bool check_rules, const EmuChannelMember** out) {
  TeamStore& ts = store->teams();
  const EmuUser* user = store->FindById(user_id);
  if (!user) return Refuse(404, "app.user.missing_account.const", "Unable to find the user.");
  // The handler filters non-group users before anything else.
  if (check_rules && channel.group_constrained && !user->is_bot &&
      !channel.group_user_ids.count(user_id)) {
    return Refuse(400, "api.channel.add_members.user_denied",
                  "Channel membership changes were denied to the following users based on group "
                  "constraints.");
  }
  const EmuTeamMember* tm = ts.TeamMember(channel.team_id, user_id);
  if (!tm) {
    return Refuse(404, "app.team.get_member.missing.app_error",
                  "No team member found for that user ID and team ID.");
  }
  if (tm->delete_at != 0) {
    return Refuse(400, "api.channel.add_user.to.channel.failed.deleted.app_error",
                  "Failed to add user to channel because they have been removed from the team.");
  }
  auto& rows = ts.channel_members_[channel.id];
  auto it = rows.find(user_id);
  if (it != rows.end()) {  // already a member: the existing member, no post
    *out = &it->second;
    return {};
  }
  EmuChannelMember m;
  m.channel_id = channel.id;
  m.user_id = user_id;
  m.scheme_guest = user->IsGuest();
  m.scheme_user = !m.scheme_guest;
  m.last_update_at = NowMs();
  rows[user_id] = m;
  *out = &rows[user_id];
  return {};
}

MemberError LeaveChannel(UserStore* store, const EmuChannel& channel, const std::string& user_id,
                         bool check_rules) {
  TeamStore& ts = store->teams();
  const EmuUser* user = store->FindById(user_id);
  if (check_rules && channel.group_constrained && !(user && user->is_bot)) {
    return Refuse(400, "api.channel.remove_member.group_constrained.app_error",
                  "Unable to remove a user from a group-constrained channel.");
  }
  if (channel.name == "town-square" && !(user && user->IsGuest())) {
    return Refuse(400, "api.channel.remove.default.app_error",
                  "Unable to remove user from the default channel town-square.");
  }
  auto& rows = ts.channel_members_[channel.id];
  auto it = rows.find(user_id);
  if (it == rows.end()) {
    return Refuse(404, "app.channel.get_member.missing.app_error",
                  "No channel member found for that user ID and channel ID.");
  }
  rows.erase(it);
  if (user && user->IsGuest()) {  // a guest leaving their last channel of a team leaves it
    for (const EmuChannel* c : ts.ChannelsOf(channel.team_id)) {
      if (ts.ChannelMember(c->id, user_id)) return {};
    }
    const EmuTeam* team = ts.FindTeam(channel.team_id);
    if (team) LeaveTeam(store, *team, user_id, false);
  }
  return {};
}

}  // namespace mmemu
