// JSON views of teams, channels and their members, with the server's keys (no omitempty
// on members: every key is always present).
#include "emulator/json_writer.h"
#include "emulator/teams_store.h"

namespace mmemu {

namespace {

std::string Roles(const char* prefix, bool guest, bool user, bool admin,
                  const std::string& explicit_roles) {
  std::string out = explicit_roles;
  auto add = [&](const std::string& role) {
    if (!out.empty()) out.push_back(' ');
    out += role;
  };
  if (guest) add(std::string(prefix) + "_guest");
  if (user) add(std::string(prefix) + "_user");
  if (admin) add(std::string(prefix) + "_admin");
  return out;
}

void TeamFields(JsonWriter* w, const EmuTeam& t) {
  w->Field("id", t.id)
      .Field("create_at", t.create_at)
      .Field("update_at", t.update_at)
      .Field("delete_at", t.delete_at)
      .Field("display_name", t.display_name)
      .Field("name", t.name)
      .Field("description", t.description)
      .Field("email", t.email)
      .Field("type", t.type)
      .Field("company_name", "")
      .Field("allowed_domains", t.allowed_domains)
      .Field("invite_id", "")
      .Field("allow_open_invite", t.allow_open_invite)
      .Field("last_team_icon_update", int64_t{0})
      .Key("scheme_id").Null()
      .Field("group_constrained", t.group_constrained)
      .Field("cloud_limits_archived", false);
}

void ChannelFields(JsonWriter* w, const EmuChannel& c) {
  w->Field("id", c.id)
      .Field("create_at", c.create_at)
      .Field("update_at", c.update_at)
      .Field("delete_at", c.delete_at)
      .Field("team_id", c.team_id)
      .Field("type", c.type)
      .Field("display_name", c.display_name)
      .Field("name", c.name)
      .Field("header", c.header)
      .Field("purpose", c.purpose)
      .Field("last_post_at", int64_t{0})
      .Field("total_msg_count", int64_t{0})
      .Field("extra_update_at", int64_t{0})
      .Field("creator_id", "")
      .Key("scheme_id").Null()
      .Key("props").Null()
      .Field("group_constrained", c.group_constrained)
      .Field("shared", false)
      .Field("total_msg_count_root", int64_t{0})
      .Field("last_root_post_at", int64_t{0});
}

}  // namespace

std::string TeamJson(const EmuTeam& team) {
  JsonWriter w;
  w.BeginObject();
  TeamFields(&w, team);
  w.EndObject();
  return w.Take();
}

std::string ChannelJson(const EmuChannel& channel) {
  JsonWriter w;
  w.BeginObject();
  ChannelFields(&w, channel);
  w.EndObject();
  return w.Take();
}

std::string TeamMemberJson(const EmuTeamMember& m) {
  JsonWriter w;
  w.BeginObject()
      .Field("team_id", m.team_id)
      .Field("user_id", m.user_id)
      .Field("roles", m.delete_at ? std::string()
                                  : Roles("team", m.scheme_guest, m.scheme_user, m.scheme_admin,
                                          m.explicit_roles))
      .Field("delete_at", m.delete_at)
      .Field("scheme_guest", m.scheme_guest)
      .Field("scheme_user", m.scheme_user)
      .Field("scheme_admin", m.scheme_admin)
      .Field("explicit_roles", m.explicit_roles)
      .EndObject();
  return w.Take();
}

std::string ChannelMemberJson(const EmuChannelMember& m) {
  JsonWriter w;
  w.BeginObject()
      .Field("channel_id", m.channel_id)
      .Field("user_id", m.user_id)
      .Field("roles", Roles("channel", m.scheme_guest, m.scheme_user, m.scheme_admin, ""))
      .Field("last_viewed_at", int64_t{0})
      .Field("msg_count", int64_t{0})
      .Field("mention_count", int64_t{0})
      .Field("mention_count_root", int64_t{0})
      .Field("urgent_mention_count", int64_t{0})
      .Field("msg_count_root", int64_t{0})
      .Key("notify_props")
      .StringMap({{"desktop", "default"},
                  {"email", "default"},
                  {"ignore_channel_mentions", "default"},
                  {"mark_unread", "all"},
                  {"push", "default"}})
      .Field("last_update_at", m.last_update_at)
      .Field("scheme_guest", m.scheme_guest)
      .Field("scheme_user", m.scheme_user)
      .Field("scheme_admin", m.scheme_admin)
      .Field("explicit_roles", "")
      .EndObject();
  return w.Take();
}

std::string TeamsStateJsonMember(const TeamStore& teams) {
  JsonWriter w;
  w.Key("teams").BeginArray();
  for (const EmuTeam* t : teams.TeamsByDisplayName()) {
    w.BeginObject();
    TeamFields(&w, *t);
    w.Key("members").BeginArray();  // current and former (delete_at > 0) rows
    for (const auto& [user_id, m] : teams.TeamMembers(t->id)) w.Raw(TeamMemberJson(m));
    w.EndArray();
    w.Key("channels").BeginArray();
    for (const EmuChannel* c : teams.ChannelsOf(t->id)) {
      w.BeginObject();
      ChannelFields(&w, *c);
      w.Key("member_ids").BeginArray();
      for (const auto& [user_id, m] : teams.ChannelMembers(c->id)) w.String(user_id);
      w.EndArray().EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray();
  std::string out = w.Take();
  return out;
}

}  // namespace mmemu
