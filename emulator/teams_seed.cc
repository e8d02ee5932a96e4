// The "teams" section of a seed file: teams with their channels (town-square and
// off-topic are created for every team) and memberships, by username or user id.
#include <Poco/JSON/Array.h>

#include "emulator/seed.h"
#include "emulator/users_routes.h"

namespace mmemu {

namespace {

// model.IsValidTeamName / IsValidChannelIdentifier, close enough for seeds.
bool ValidHandle(const std::string& s, bool underscore) {
  if (s.size() < 2 || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
              (underscore && c == '_');
    if (!ok) return false;
  }
  return s.front() != '-' && s.back() != '-';
}

// Reads the common keys of a team or channel entry.
struct Common {
  std::string id, name, display_name, type;
  int64_t delete_at = 0;
  bool group_constrained = false;
};

bool ReadCommon(UserStore* store, const Poco::JSON::Object::Ptr& obj, Common* c,
                std::string* error) {
  bool bad = false;
  ReadString(obj, "id", &c->id, &bad);
  ReadString(obj, "name", &c->name, &bad);
  ReadString(obj, "display_name", &c->display_name, &bad);
  ReadString(obj, "type", &c->type, &bad);
  if (bad) return (*error = "a field has the wrong JSON type", false);
  c->name = ToLower(c->name);
  if (c->id.empty()) c->id = store->NewId();
  if (c->display_name.empty()) c->display_name = c->name;
  c->delete_at = obj->optValue<int64_t>("delete_at", 0);
  c->group_constrained = obj->optValue<bool>("group_constrained", false);
  return true;
}

// Resolves a list of usernames (or ids) to user ids.
bool ReadUsers(UserStore* store, const Poco::JSON::Object::Ptr& obj, const std::string& key,
               std::vector<std::string>* out, std::string* error) {
  if (!obj->has(key)) return true;
  auto list = obj->getArray(key);
  if (!list) return (*error = "\"" + key + "\" must be an array of usernames", false);
  for (size_t i = 0; i < list->size(); ++i) {
    std::string name = list->getElement<std::string>(static_cast<unsigned>(i));
    const EmuUser* u = store->FindByUsername(ToLower(name));
    if (!u) u = store->FindById(name);
    if (!u) return (*error = key + ": no user " + name, false);
    out->push_back(u->id);
  }
  return true;
}

bool LoadChannel(UserStore* store, const EmuTeam& team, const Poco::JSON::Object::Ptr& obj,
                 std::string* error) {
  Common c;
  if (!ReadCommon(store, obj, &c, error)) return false;
  if (!ValidHandle(c.name, true)) return (*error = "bad channel name '" + c.name + "'", false);
  if (c.type.empty()) c.type = "O";
  if (c.type != "O" && c.type != "P") return (*error = "channel type must be O or P", false);
  TeamStore& ts = store->teams();
  EmuChannel* ch = ts.FindChannelByName(team.id, c.name);
  if (!ch) {
    if (ts.FindChannel(c.id)) return (*error = "duplicate channel id " + c.id, false);
    auto created = std::make_unique<EmuChannel>();
    created->id = c.id;
    created->team_id = team.id;
    created->name = c.name;
    created->create_at = created->update_at = NowMs();
    ch = ts.AddChannel(std::move(created));
  }
  ch->display_name = c.display_name;
  ch->type = c.type;
  ch->delete_at = c.delete_at;
  ch->group_constrained = c.group_constrained;
  std::vector<std::string> group, members;
  if (!ReadUsers(store, obj, "group_members", &group, error) ||
      !ReadUsers(store, obj, "members", &members, error)) {
    return false;
  }
  ch->group_user_ids.insert(group.begin(), group.end());
  for (const std::string& user_id : members) {
    const EmuChannelMember* ignored = nullptr;
    MemberError e = JoinChannel(store, *ch, user_id, false, &ignored);
    if (!e.ok()) return (*error = c.name + ": " + e.id, false);
  }
  return true;
}

bool LoadTeam(UserStore* store, const Poco::JSON::Object::Ptr& obj, std::string* error) {
  Common c;
  if (!ReadCommon(store, obj, &c, error)) return false;
  if (!ValidHandle(c.name, false)) return (*error = "bad team name '" + c.name + "'", false);
  if (c.type.empty()) c.type = "O";
  if (c.type != "O" && c.type != "I") return (*error = "team type must be O or I", false);
  TeamStore& ts = store->teams();
  if (ts.FindTeamByName(c.name)) return (*error = "duplicate team name " + c.name, false);
  if (ts.FindTeam(c.id)) return (*error = "duplicate team id " + c.id, false);
  auto team = std::make_unique<EmuTeam>();
  team->id = c.id;
  team->name = c.name;
  team->display_name = c.display_name;
  team->type = c.type;
  team->delete_at = c.delete_at;
  team->group_constrained = c.group_constrained;
  team->create_at = team->update_at = NowMs();
  bool bad = false;
  ReadString(obj, "email", &team->email, &bad);
  ReadString(obj, "allowed_domains", &team->allowed_domains, &bad);
  team->allow_open_invite = obj->optValue<bool>("allow_open_invite", false);
  EmuTeam* t = ts.AddTeam(std::move(team));
  for (const char* name : {"town-square", "off-topic"}) {
    auto ch = std::make_unique<EmuChannel>();
    ch->id = store->NewId();
    ch->team_id = t->id;
    ch->name = name;
    ch->display_name = std::string(name) == "town-square" ? "Town Square" : "Off-Topic";
    ch->create_at = ch->update_at = t->create_at;
    ts.AddChannel(std::move(ch));
  }
  std::vector<std::string> group, members, former;
  if (!ReadUsers(store, obj, "group_members", &group, error) ||
      !ReadUsers(store, obj, "members", &members, error) ||
      !ReadUsers(store, obj, "former_members", &former, error)) {
    return false;
  }
  t->group_user_ids.insert(group.begin(), group.end());
  for (const std::string& user_id : members) {
    const EmuTeamMember* ignored = nullptr;
    JoinTeam(store, *t, user_id, false, &ignored);
  }
  for (const std::string& user_id : former) {
    const EmuTeamMember* ignored = nullptr;
    JoinTeam(store, *t, user_id, false, &ignored);
    LeaveTeam(store, *t, user_id, false);
  }
  if (obj->has("channels")) {
    auto list = obj->getArray("channels");
    if (!list) return (*error = "\"channels\" must be an array", false);
    for (size_t i = 0; i < list->size(); ++i) {
      auto ch = list->getObject(static_cast<unsigned>(i));
      if (!ch) return (*error = "channels[" + std::to_string(i) + "] is not an object", false);
      if (!LoadChannel(store, *t, ch, error)) {
        *error = "channels[" + std::to_string(i) + "]: " + *error;
        return false;
      }
    }
  }
  return true;
}

}  // namespace

int LoadSeedTeams(UserStore* store, const Poco::JSON::Object::Ptr& root, std::string* error) {
  if (!root->has("teams")) return 0;
  auto list = root->getArray("teams");
  if (!list) return (*error = "\"teams\" must be an array", -1);
  int added = 0;
  for (size_t i = 0; i < list->size(); ++i) {
    auto obj = list->getObject(static_cast<unsigned>(i));
    std::string where = "teams[" + std::to_string(i) + "]";
    if (!obj) return (*error = where + " is not an object", -1);
    if (!LoadTeam(store, obj, error)) {
      *error = where + ": " + *error;
      return -1;
    }
    ++added;
  }
  return added;
}

}  // namespace mmemu
