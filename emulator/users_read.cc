// Read-only /api/v4/users handlers: listing, single-user lookups, bulk lookups, search.
#include <Poco/JSON/Parser.h>

#include <mutex>
#include <set>
#include <shared_mutex>

#include "emulator/json_writer.h"
#include "emulator/users_routes.h"

namespace mmemu {

namespace {

const std::set<std::string>& KnownRoles() {
  static const std::set<std::string> kRoles = {
      "system_guest",           "system_user",
      "system_admin",           "system_post_all",
      "system_post_all_public", "system_user_access_token",
      "system_user_manager",    "system_read_only_admin",
      "system_manager",         "system_custom_group_admin"};
  return kRoles;
}

// Go's strconv.Atoi: the whole string must be an optionally signed decimal.
bool ParseInt(const std::string& s, long long* out) {
  if (s.empty()) return false;
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size() || s.size() > 18) return false;
  for (size_t j = i; j < s.size(); ++j) {
    if (s[j] < '0' || s[j] > '9') return false;
  }
  *out = std::stoll(s);
  return true;
}

std::string QueryOr(const ApiRequest& req, const std::string& key, const std::string& dflt) {
  auto it = req.query.find(key);
  return it == req.query.end() ? dflt : it->second;
}

bool QueryTrue(const ApiRequest& req, const std::string& key) {
  std::string v = QueryOr(req, key, "");
  return v == "true" || v == "1" || v == "True" || v == "TRUE" || v == "t";
}

const std::string& ListJson(const EmuUser& u, bool admin, std::string* scratch) {
  if (admin) return u.profile_json;
  *scratch = UserToJson(u, UserView::kProfile);
  return *scratch;
}


}  // namespace

void UsersRoutes::GetUsers(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  bool active = QueryTrue(req, "active");
  bool inactive = QueryTrue(req, "inactive");
  if (active && inactive) return SetInvalidParam(req, resp, "inactive");
  std::string sort = QueryOr(req, "sort", "");
  if (!sort.empty()) return SetInvalidParam(req, resp, "sort");
  std::string role = QueryOr(req, "role", "");
  if (!role.empty() && !KnownRoles().count(role)) return SetInvalidParam(req, resp, "role");

  long long page = 0, per_page = 60;
  if (!ParseInt(QueryOr(req, "page", "0"), &page) || page < 0) page = 0;
  std::string per_page_raw = QueryOr(req, "per_page", QueryOr(req, "pageSize", "60"));
  if (!ParseInt(per_page_raw, &per_page) || per_page < 0) per_page = 60;
  if (per_page > 200) per_page = 200;

  std::string body = "[";
  std::string scratch;
  if (per_page > 0) {
    SkewBeforePage(page);
    std::shared_lock lock(store_->mu());
    const auto& sorted = store_->Sorted();
    const std::string in_team = QueryOr(req, "in_team", "");
    const std::string in_channel = QueryOr(req, "in_channel", "");
    const bool filtered =
        active || inactive || !role.empty() || !in_team.empty() || !in_channel.empty();
    long long skip = page * per_page;
    long long taken = 0;
    if (!filtered && !store_->AnyLag()) {
      for (size_t i = static_cast<size_t>(std::min<long long>(skip, sorted.size()));
           i < sorted.size() && taken < per_page; ++i, ++taken) {
        if (taken) body.push_back(',');
        body.append(ListJson(*sorted[i], caller.admin, &scratch));
      }
    } else {
      for (const EmuUser* live : sorted) {
        const EmuUser* u = ReplicaView(live);
        if (!u) continue;
        if (active && !u->IsActive()) continue;
        if (inactive && u->IsActive()) continue;
        if (!role.empty() && u->roles.find(role) == std::string::npos) continue;
        if (!in_team.empty() && !store_->teams().IsCurrentTeamMember(in_team, u->id)) continue;
        if (!in_channel.empty() && !store_->teams().ChannelMember(in_channel, u->id)) continue;
        if (skip > 0) {
          --skip;
          continue;
        }
        if (taken) body.push_back(',');
        body.append(ListJson(*u, caller.admin, &scratch));
        if (++taken >= per_page) break;
      }
    }
  }
  body.push_back(']');
  resp->body = std::move(body);
}

void UsersRoutes::SendSingleUser(const ApiRequest& req, const Caller& caller, const EmuUser* user,
                                 ApiResponse* resp) {
  user = ReplicaView(user);
  if (!user) return SetUserNotFound(req, resp);
  std::string etag = "9.1.0." + user->id + "." + std::to_string(user->update_at) + ".true.true";
  resp->headers.emplace_back("Etag", etag);
  if (!req.if_none_match.empty() && req.if_none_match == etag) {
    resp->status = 304;
    resp->body.clear();
    return;
  }
  if (user->id == caller.id) {
    resp->body = UserToJson(*user, UserView::kSanitized);
  } else {
    resp->body = UserToJson(*user, caller.admin ? UserView::kProfileAdmin : UserView::kProfile);
  }
}

void UsersRoutes::GetUser(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  std::string id = PathUserId(req, caller);
  std::shared_lock lock(store_->mu());
  const EmuUser* u = store_->FindById(id);
  if (!u) {
    if (id.size() != 26) return SetInvalidParam(req, resp, "user_id");
    return SetUserNotFound(req, resp);
  }
  SendSingleUser(req, caller, u, resp);
}

void UsersRoutes::GetUserByUsername(const ApiRequest& req, const Caller& caller,
                                    ApiResponse* resp) {
  const std::string name = ToLower(req.params[0]);
  bool charset_ok =
      !name.empty() && name.size() <= 64 &&
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-_") == std::string::npos;
  if (!charset_ok) return SetInvalidParam(req, resp, "username");
  std::shared_lock lock(store_->mu());
  const EmuUser* u = store_->FindByUsername(name);
  if (!u) return SetUserNotFound(req, resp);
  SendSingleUser(req, caller, u, resp);
}

void UsersRoutes::GetUserByEmail(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  std::string email = ToLower(req.params[0]);
  if (!IsValidEmail(email)) return SetInvalidParam(req, resp, "email");
  if (!caller.admin) {
    return SetAppError(req, resp, 403, "api.user.get_user_by_email.permissions.app_error",
                       "Unable to get user by email.");
  }
  std::shared_lock lock(store_->mu());
  const EmuUser* u = store_->FindByEmail(email);
  if (!u) return SetUserNotFound(req, resp);
  SendSingleUser(req, caller, u, resp);
}

void UsersRoutes::GetUsersByUsernames(const ApiRequest& req, const Caller& caller,
                                      ApiResponse* resp) {
  std::vector<std::string> names;
  if (!ParseIdArray(req.body, &names) || names.empty()) {
    return SetInvalidBody(req, resp, "usernames");
  }
  std::set<std::string> seen;
  std::string body = "[";
  std::string scratch;
  std::shared_lock lock(store_->mu());
  for (const auto& n : names) {
    const EmuUser* u = ReplicaView(store_->FindByUsername(n));  // exact, no lower-casing
    if (!u || !seen.insert(u->id).second) continue;
    if (body.size() > 1) body.push_back(',');
    body.append(ListJson(*u, caller.admin, &scratch));
  }
  body.push_back(']');
  resp->body = std::move(body);
}

void UsersRoutes::GetUsersByIds(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  std::vector<std::string> ids;
  if (!ParseIdArray(req.body, &ids) || ids.empty()) {
    return SetInvalidBody(req, resp, "user_ids");
  }
  long long since = 0;
  auto it = req.query.find("since");
  if (it != req.query.end() && !ParseInt(it->second, &since)) {
    return SetInvalidParam(req, resp, "since");
  }
  std::set<std::string> seen;
  std::string body = "[";
  std::string scratch;
  std::shared_lock lock(store_->mu());
  for (const auto& id : ids) {
    const EmuUser* u = ReplicaView(store_->FindById(id));
    if (!u || !seen.insert(id).second) continue;
    if (since > 0 && u->update_at < since) continue;
    if (body.size() > 1) body.push_back(',');
    body.append(ListJson(*u, caller.admin, &scratch));
  }
  body.push_back(']');
  resp->body = std::move(body);
}

void UsersRoutes::SearchUsers(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  auto obj = ParseObject(req.body);
  if (!obj) return SetInvalidBody(req, resp, "user_search");
  bool bad = false;
  std::string term;
  ReadString(obj, "term", &term, &bad);
  if (bad || term.empty()) return SetInvalidParam(req, resp, "term");
  long long limit = 100;
  if (obj->has("limit")) {
    try {
      limit = obj->getValue<long long>("limit");
    } catch (const std::exception&) {
      return SetInvalidBody(req, resp, "user_search");
    }
    if (limit == 0) limit = 100;
    if (limit < 0 || limit > 1000) return SetInvalidParam(req, resp, "limit");
  }
  bool allow_inactive = obj->has("allow_inactive") && obj->get("allow_inactive").isBoolean() &&
                        obj->getValue<bool>("allow_inactive");
  term = ToLower(term);
  if (!term.empty() && term[0] == '@') term.erase(0, 1);
  auto starts = [&](const std::string& field) { return ToLower(field).rfind(term, 0) == 0; };
  std::string body = "[";
  std::string scratch;
  long long n = 0;
  std::shared_lock lock(store_->mu());
  for (const EmuUser* u : store_->Sorted()) {
    if (!allow_inactive && !u->IsActive()) continue;
    bool hit = starts(u->username) || starts(u->first_name) || starts(u->last_name) ||
               starts(u->nickname) || (caller.admin && starts(u->email));
    if (!hit) continue;
    if (n) body.push_back(',');
    body.append(ListJson(*u, caller.admin, &scratch));
    if (++n >= limit) break;
  }
  body.push_back(']');
  resp->body = std::move(body);
}

void UsersRoutes::GetStats(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  long long count = 0;
  {
    std::shared_lock lock(store_->mu());
    for (const EmuUser* u : store_->Sorted()) {
      if (u->IsActive() && !u->is_bot) ++count;
    }
  }
  JsonWriter w;
  w.BeginObject().Field("total_users_count", static_cast<int64_t>(count)).EndObject();
  resp->body = w.Take();
}

void UsersRoutes::GetImage(const ApiRequest& req, const Caller& caller, ApiResponse* resp) {
  {
    std::shared_lock lock(store_->mu());
    if (!store_->FindById(PathUserId(req, caller))) return SetUserNotFound(req, resp);
  }
  // A valid 1x1 transparent PNG.
  static const unsigned char kPng[] = {
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
      0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
      0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
      0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00,
      0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  resp->content_type = "image/png";
  resp->body.assign(reinterpret_cast<const char*>(kPng), sizeof kPng);
}

}  // namespace mmemu
