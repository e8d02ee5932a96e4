// /api/v4/teams handlers: listing, lookup by name, and team memberships (single and batch
// adds, soft-deleting removal, paged and by-ids member reads). Rules live in teams_store.cc.
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <shared_mutex>

#include "emulator/json_writer.h"
#include "emulator/users_routes.h"

namespace mmemu {

namespace {

constexpr size_t kMaxAddMembersBatch = 256;  // model.MaxAddMembersBatch

std::string QueryOr(const ApiRequest& req, const std::string& key, const std::string& dflt) {
  auto it = req.query.find(key);
  return it == req.query.end() ? dflt : it->second;
}

// page and per_page as web/params.go reads them: bad values fall back, per_page <= 200.
void Paging(const ApiRequest& req, long long* page, long long* per_page) {
  *page = 0;
  *per_page = 60;
  try {
    *page = std::max(0LL, std::stoll(QueryOr(req, "page", "0")));
  } catch (const std::exception&) {
  }
  try {
    long long v = std::stoll(QueryOr(req, "per_page", "60"));
    if (v >= 0) *per_page = std::min(v, 200LL);
  } catch (const std::exception&) {
  }
}

void SetTeamNotFound(const ApiRequest& req, ApiResponse* resp) {
  SetAppError(req, resp, 404, "app.team.get.find.app_error",
              "Unable to find the existing team.");
}

// Reads {"team_id","user_id"} of one TeamMember entry; "" names the bad field.
std::string MemberEntry(const Poco::JSON::Object::Ptr& obj, const std::string& team_id,
                        std::string* user_id) {
  bool bad = false;
  std::string entry_team;
  ReadString(obj, "team_id", &entry_team, &bad);
  ReadString(obj, "user_id", user_id, &bad);
  if (bad || entry_team != team_id) return "team_id";
  if (!IsValidId(*user_id)) return "user_id";
  return "";
}

std::string ErrorJson(const ApiRequest& req, const MemberError& e) {
  ApiResponse r;
  SetMemberError(req, &r, e);
  return r.body;
}

}  // namespace

bool IsValidId(const std::string& id) {
  if (id.size() != 26) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

void SetInvalidUrlParam(const ApiRequest& req, ApiResponse* resp, const std::string& param) {
  SetAppError(req, resp, 400, "api.context.invalid_url_param.app_error",
              "Invalid or missing " + param + " parameter in request URL.");
}

bool ParseIdArray(const std::string& body, std::vector<std::string>* out) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(body);
    if (v.type() != typeid(Poco::JSON::Array::Ptr)) return false;
    for (const auto& item : *v.extract<Poco::JSON::Array::Ptr>()) {
      if (!item.isString()) return false;
      out->push_back(item.convert<std::string>());
    }
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void SetMemberError(const ApiRequest& req, ApiResponse* resp, const MemberError& e) {
  SetAppError(req, resp, e.status, e.id, e.message);
}

void UsersRoutes::GetTeams(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  long long page, per_page;
  Paging(req, &page, &per_page);
  std::shared_lock lock(store_->mu());
  // GetAllPage: ORDER BY DisplayName, archived teams included. Without list_private_teams
  // (a non-admin) only teams open to everyone.
  std::vector<const EmuTeam*> all;
  for (const EmuTeam* t : store_->teams().TeamsByDisplayName()) {
    if (caller.admin || t->allow_open_invite) all.push_back(t);
  }
  JsonWriter w;
  w.BeginArray();
  for (size_t i = static_cast<size_t>(page * per_page);
       i < all.size() && i < static_cast<size_t>((page + 1) * per_page); ++i) {
    w.Raw(TeamJson(*all[i]));
  }
  w.EndArray();
  if (QueryOr(req, "include_total_count", "") == "true") {
    resp->body = "{\"teams\":" + w.Take() + ",\"total_count\":" + std::to_string(all.size()) + "}";
  } else {
    resp->body = w.Take();
  }
}

void UsersRoutes::GetTeamByName(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  std::string name = ToLower(req.params[0]);
  if (name.size() < 2 || name.size() > 64) return SetInvalidUrlParam(req, resp, "team_name");
  std::shared_lock lock(store_->mu());
  const EmuTeam* team = store_->teams().FindTeamByName(name);  // archived teams too
  if (!team) {
    return SetAppError(req, resp, 404, "app.team.get_by_name.missing.app_error",
                       "Unable to find the existing team.");
  }
  if (!caller.admin && !team->allow_open_invite &&
      !store_->teams().IsCurrentTeamMember(team->id, caller.id)) {
    return SetForbidden(req, resp);
  }
  resp->body = TeamJson(*team);
}

void UsersRoutes::AddTeamMember(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  const std::string& team_id = req.params[0];
  if (!IsValidId(team_id)) return SetInvalidUrlParam(req, resp, "team_id");
  Poco::JSON::Object::Ptr body = ParseObject(req.body);
  if (!body) {
    return SetAppError(req, resp, 400, "api.team.add_team_member.invalid_body.app_error",
                       "Error parsing request body.");
  }
  std::string user_id;
  std::string bad = MemberEntry(body, team_id, &user_id);
  if (!bad.empty()) return SetInvalidParam(req, resp, bad);
  if (!caller.admin) return SetForbidden(req, resp);
  std::unique_lock lock(store_->mu());
  store_->teams().max_users_per_team = modes_->Get().max_users_per_team;
  const EmuTeam* team = store_->teams().FindTeam(team_id);
  if (!team) return SetTeamNotFound(req, resp);
  const EmuTeamMember* member = nullptr;
  MemberError e = JoinTeam(store_, *team, user_id, true, &member);
  if (!e.ok()) return SetMemberError(req, resp, e);
  resp->status = 201;
  resp->body = TeamMemberJson(*member);
}

void UsersRoutes::AddTeamMembersBatch(const ApiRequest& req, const Caller& caller,
                                      ApiResponse* resp) {
  const std::string& team_id = req.params[0];
  if (!IsValidId(team_id)) return SetInvalidUrlParam(req, resp, "team_id");
  std::vector<std::string> user_ids;
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(req.body);
    if (v.type() != typeid(Poco::JSON::Array::Ptr)) throw std::runtime_error("not an array");
    auto list = v.extract<Poco::JSON::Array::Ptr>();
    if (list->size() == 0 || list->size() > kMaxAddMembersBatch) {
      return SetInvalidParam(req, resp, "too many members in batch");
    }
    for (size_t i = 0; i < list->size(); ++i) {
      auto obj = list->getObject(static_cast<unsigned>(i));
      if (!obj) throw std::runtime_error("not an object");
      std::string user_id;
      std::string bad = MemberEntry(obj, team_id, &user_id);
      if (!bad.empty()) return SetInvalidParam(req, resp, bad);
      user_ids.push_back(user_id);
    }
  } catch (const std::exception&) {
    return SetInvalidParam(req, resp, "team_members");
  }
  if (!caller.admin) return SetForbidden(req, resp);
  const bool graceful = !QueryOr(req, "graceful", "").empty();  // "false" is graceful too
  std::unique_lock lock(store_->mu());
  store_->teams().max_users_per_team = modes_->Get().max_users_per_team;
  const EmuTeam* team = store_->teams().FindTeam(team_id);
  if (!team) return SetTeamNotFound(req, resp);
  if (team->group_constrained) {  // one non-group user rejects the whole batch
    for (const std::string& id : user_ids) {
      const EmuUser* u = store_->FindById(id);
      if (!(u && u->is_bot) && !team->group_user_ids.count(id)) {
        return SetAppError(req, resp, 400, "api.team.add_members.user_denied",
                           "This team is managed by groups. This user is not part of a group "
                           "that is synced to this team.");
      }
    }
  }
  JsonWriter w;
  w.BeginArray();
  for (const std::string& id : user_ids) {  // one by one, no transaction
    const EmuTeamMember* member = nullptr;
    MemberError e = JoinTeam(store_, *team, id, true, &member);
    if (!graceful) {
      if (!e.ok()) return SetMemberError(req, resp, e);  // earlier adds stay
      w.Raw(TeamMemberJson(*member));
      continue;
    }
    w.BeginObject().Field("user_id", id).Key("member");
    if (e.ok()) {
      w.Raw(TeamMemberJson(*member)).Key("error").Null();
    } else {
      w.Null().Key("error").Raw(ErrorJson(req, e));
    }
    w.EndObject();
  }
  w.EndArray();
  resp->status = 201;
  resp->body = w.Take();
}

void UsersRoutes::RemoveTeamMember(const ApiRequest& req, const Caller& caller,
                                   ApiResponse* resp) {
  const std::string& team_id = req.params[0];
  const std::string user_id = req.params[1] == "me" ? caller.id : req.params[1];
  if (!IsValidId(team_id)) return SetInvalidUrlParam(req, resp, "team_id");
  if (!IsValidId(user_id)) return SetInvalidUrlParam(req, resp, "user_id");
  if (!caller.admin && user_id != caller.id) return SetForbidden(req, resp);
  std::unique_lock lock(store_->mu());
  const EmuTeam* team = store_->teams().FindTeam(team_id);
  if (!team) return SetTeamNotFound(req, resp);
  if (!store_->FindById(user_id)) {
    return SetAppError(req, resp, 404, "app.user.missing_account.const",
                       "Unable to find the user.");
  }
  MemberError e = LeaveTeam(store_, *team, user_id, true);
  if (!e.ok()) return SetMemberError(req, resp, e);
  SetStatusOk(resp);
}

void UsersRoutes::GetTeamMembers(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  const std::string& team_id = req.params[0];
  if (!IsValidId(team_id)) return SetInvalidUrlParam(req, resp, "team_id");
  long long page, per_page;
  Paging(req, &page, &per_page);
  const bool exclude_deleted = QueryOr(req, "exclude_deleted_users", "") == "true";
  std::shared_lock lock(store_->mu());
  if (!caller.admin && !store_->teams().IsCurrentTeamMember(team_id, caller.id)) {
    return SetForbidden(req, resp);
  }
  // No team lookup: an unknown team id is 200 []. ORDER BY UserId, current rows only.
  auto current = store_->teams().CurrentTeamMembers(team_id);
  JsonWriter w;
  w.BeginArray();
  long long skip = page * per_page, taken = 0;
  if (!exclude_deleted) {  // an index into the cached list
    for (size_t i = static_cast<size_t>(std::min<long long>(skip, current->size()));
         i < current->size() && taken < per_page; ++i, ++taken) {
      w.Raw(TeamMemberJson(*(*current)[i]));
    }
  }
  for (size_t i = 0; exclude_deleted && i < current->size() && taken < per_page; ++i) {
    const EmuUser* u = store_->FindById((*current)[i]->user_id);
    if (!u || !u->IsActive()) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    w.Raw(TeamMemberJson(*(*current)[i]));
    ++taken;
  }
  w.EndArray();
  resp->body = w.Take();
}

void UsersRoutes::GetTeamMembersByIds(const ApiRequest& req, const Caller& caller,
                                      ApiResponse* resp) {
  const std::string& team_id = req.params[0];
  if (!IsValidId(team_id)) return SetInvalidUrlParam(req, resp, "team_id");
  std::vector<std::string> ids;
  if (!ParseIdArray(req.body, &ids) || ids.empty()) return SetInvalidParam(req, resp, "user_ids");
  std::shared_lock lock(store_->mu());
  if (!caller.admin && !store_->teams().IsCurrentTeamMember(team_id, caller.id)) {
    return SetForbidden(req, resp);
  }
  JsonWriter w;
  w.BeginArray();
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    const EmuTeamMember* m = store_->teams().TeamMember(team_id, id);
    if (m && m->delete_at == 0 && seen.insert(id).second) w.Raw(TeamMemberJson(*m));
  }
  w.EndArray();
  resp->body = w.Take();
}

// A master read: a former member is 200 with delete_at > 0; 404 only if no row ever existed.
void UsersRoutes::GetTeamMember(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  const std::string& team_id = req.params[0];
  const std::string user_id = req.params[1] == "me" ? caller.id : req.params[1];
  if (!IsValidId(team_id)) return SetInvalidUrlParam(req, resp, "team_id");
  if (!IsValidId(user_id)) return SetInvalidUrlParam(req, resp, "user_id");
  std::shared_lock lock(store_->mu());
  if (!caller.admin && !store_->teams().IsCurrentTeamMember(team_id, caller.id)) {
    return SetForbidden(req, resp);
  }
  const EmuTeamMember* m = store_->teams().TeamMember(team_id, user_id);
  if (!m) {
    return SetAppError(req, resp, 404, "app.team.get_member.missing.app_error",
                       "No team member found for that user ID and team ID.");
  }
  resp->body = TeamMemberJson(*m);
}

}  // namespace mmemu
