// /api/v4 channel handlers: lookup by team and name, and channel memberships (add, remove,
// by-ids read). Rules live in teams_store.cc.
#include <mutex>
#include <set>
#include <shared_mutex>

#include "emulator/json_writer.h"
#include "emulator/users_routes.h"

namespace mmemu {

namespace {

void SetChannelNotFound(const ApiRequest& req, ApiResponse* resp) {
  SetAppError(req, resp, 404, "app.channel.get.existing.app_error",
              "Unable to find the existing channel.");
}

}  // namespace

void UsersRoutes::GetChannelByName(const ApiRequest& req, const Caller& caller,
                                   ApiResponse* resp) {
  const std::string& team_id = req.params[0];
  std::string name = ToLower(req.params[1]);
  if (!IsValidId(team_id)) return SetInvalidUrlParam(req, resp, "team_id");
  if (name.empty() || name.size() > 64) return SetInvalidUrlParam(req, resp, "channel_name");
  auto it = req.query.find("include_deleted");
  const bool include_deleted = it != req.query.end() && it->second == "true";
  std::shared_lock lock(store_->mu());
  const TeamStore& ts = store_->teams();
  const EmuChannel* c = ts.FindChannelByName(team_id, name);
  // Archived channels are 404 unless include_deleted=true; a private channel the caller
  // cannot read is 404 too, not 403.
  bool visible = c && (include_deleted || c->delete_at == 0) &&
                 (caller.admin || c->type == "O" || ts.ChannelMember(c->id, caller.id));
  if (!visible) {
    return SetAppError(req, resp, 404, "app.channel.get_by_name.missing.app_error",
                       "Channel does not exist.");
  }
  if (!caller.admin && !ts.IsCurrentTeamMember(team_id, caller.id)) return SetForbidden(req, resp);
  resp->body = ChannelJson(*c);
}

void UsersRoutes::AddChannelMember(const ApiRequest& req, const Caller& caller,
                                   ApiResponse* resp) {
  const std::string& channel_id = req.params[0];
  if (!IsValidId(channel_id)) return SetInvalidUrlParam(req, resp, "channel_id");
  Poco::JSON::Object::Ptr body = ParseObject(req.body);
  std::string user_id;
  bool bad = false;
  if (!body || !ReadString(body, "user_id", &user_id, &bad) || !IsValidId(user_id)) {
    return SetInvalidParam(req, resp, "user_id");
  }
  std::unique_lock lock(store_->mu());
  const EmuChannel* channel = store_->teams().FindChannel(channel_id);
  if (!channel) return SetChannelNotFound(req, resp);
  if (!caller.admin) return SetForbidden(req, resp);
  const EmuChannelMember* member = nullptr;
  MemberError e = JoinChannel(store_, *channel, user_id, true, &member);
  if (!e.ok()) return SetMemberError(req, resp, e);
  resp->status = 201;
  resp->body = ChannelMemberJson(*member);
}

void UsersRoutes::RemoveChannelMember(const ApiRequest& req, const Caller& caller,
                                      ApiResponse* resp) {
  const std::string& channel_id = req.params[0];
  const std::string user_id = req.params[1] == "me" ? caller.id : req.params[1];
  if (!IsValidId(channel_id)) return SetInvalidUrlParam(req, resp, "channel_id");
  if (!IsValidId(user_id)) return SetInvalidUrlParam(req, resp, "user_id");
  std::unique_lock lock(store_->mu());
  const EmuChannel* channel = store_->teams().FindChannel(channel_id);
  if (!channel) return SetChannelNotFound(req, resp);
  if (!caller.admin && user_id != caller.id) return SetForbidden(req, resp);
  MemberError e = LeaveChannel(store_, *channel, user_id, true);
  if (!e.ok()) return SetMemberError(req, resp, e);
  SetStatusOk(resp);
}

void UsersRoutes::GetChannelMembersByIds(const ApiRequest& req, const Caller& caller,
                                         ApiResponse* resp) {
  const std::string& channel_id = req.params[0];
  if (!IsValidId(channel_id)) return SetInvalidUrlParam(req, resp, "channel_id");
  std::vector<std::string> ids;
  if (!ParseIdArray(req.body, &ids) || ids.empty()) return SetInvalidParam(req, resp, "user_ids");
  std::shared_lock lock(store_->mu());
  const TeamStore& ts = store_->teams();
  const EmuChannel* channel = ts.FindChannel(channel_id);
  // SessionHasPermissionToChannel is false for an unknown channel: 403, even for an admin.
  if (!channel || (!caller.admin && !ts.ChannelMember(channel_id, caller.id))) {
    return SetForbidden(req, resp);
  }
  JsonWriter w;
  w.BeginArray();
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    const EmuChannelMember* m = ts.ChannelMember(channel_id, id);
    if (m && seen.insert(id).second) w.Raw(ChannelMemberJson(*m));
  }
  w.EndArray();
  resp->body = w.Take();
}

// A master read; a non-member is 404. An unknown channel is 403 (the permission check).
void UsersRoutes::GetChannelMember(const ApiRequest& req, const Caller& caller,
                                   ApiResponse* resp) {
  const std::string& channel_id = req.params[0];
  const std::string user_id = req.params[1] == "me" ? caller.id : req.params[1];
  if (!IsValidId(channel_id)) return SetInvalidUrlParam(req, resp, "channel_id");
  if (!IsValidId(user_id)) return SetInvalidUrlParam(req, resp, "user_id");
  std::shared_lock lock(store_->mu());
  const TeamStore& ts = store_->teams();
  if (!ts.FindChannel(channel_id) || (!caller.admin && !ts.ChannelMember(channel_id, caller.id))) {
    return SetForbidden(req, resp);
  }
  const EmuChannelMember* m = ts.ChannelMember(channel_id, user_id);
  if (!m) {
    return SetAppError(req, resp, 404, "app.channel.get_member.missing.app_error",
                       "No channel member found for that user ID and channel ID.");
  }
  resp->body = ChannelMemberJson(*m);
}

}  // namespace mmemu
