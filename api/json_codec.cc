// Decoders for the Users API models (see json_codec.h). Encoders are in json_encode.cc.
#include "api/json_codec.h"

#include <initializer_list>
#include <map>

#include "api/json_reader.h"
#include "api/json_user_simd.h"
#include "api/json_user_stream.h"

namespace rostersync::api {

namespace {

using json::Bool;
using json::Int;
using json::Map;
using json::OptBool;
using json::OptInt;
using json::Str;
using Obj = Poco::JSON::Object::Ptr;

// The first failure, in field order (braced lists evaluate left to right).
Status First(std::initializer_list<Status> statuses) {
  for (const Status& s : statuses) {
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Fill(const Obj& o, User* u) {
  return First({
      Str(o, "id", &u->id), Int(o, "create_at", &u->create_at),
      Int(o, "update_at", &u->update_at), Int(o, "delete_at", &u->delete_at),
      Str(o, "username", &u->username), Str(o, "first_name", &u->first_name),
      Str(o, "last_name", &u->last_name), Str(o, "nickname", &u->nickname),
      Str(o, "email", &u->email), OptBool(o, "email_verified", &u->email_verified),
      Str(o, "auth_service", &u->auth_service), Str(o, "roles", &u->roles),
      Str(o, "locale", &u->locale), Str(o, "position", &u->position),
      Bool(o, "is_bot", &u->is_bot), Str(o, "bot_description", &u->bot_description),
      Bool(o, "mfa_active", &u->mfa_active),
      Int(o, "last_password_update", &u->last_password_update),
      Int(o, "last_picture_update", &u->last_picture_update),
      Int(o, "failed_attempts", &u->failed_attempts),
      Int(o, "last_activity_at", &u->last_activity_at),
      Str(o, "terms_of_service_id", &u->terms_of_service_id),
      Int(o, "terms_of_service_create_at", &u->terms_of_service_create_at),
      Str(o, "remote_id", &u->remote_id), Map(o, "props", &u->props),
      Map(o, "notify_props", &u->notify_props), Map(o, "timezone", &u->timezone),
  });
}

Status Fill(const Obj& o, UserAccessToken* t) {
  return First({Str(o, "id", &t->id), Str(o, "user_id", &t->user_id),
                Str(o, "description", &t->description), Bool(o, "is_active", &t->is_active),
                Str(o, "token", &t->token)});
}

Status Fill(const Obj& o, StatusOK* s) { return Str(o, "status", &s->status); }

Status Fill(const Obj& o, UserAuthData* a) {
  return First({Str(o, "auth_data", &a->auth_data), Str(o, "auth_service", &a->auth_service)});
}

Status Fill(const Obj& o, UserAccessTokenSanitized* t) {
  return First({Str(o, "id", &t->id), Str(o, "user_id", &t->user_id),
                Str(o, "description", &t->description), Bool(o, "is_active", &t->is_active)});
}

Status Fill(const Obj& o, Session* s) {
  return First({Str(o, "id", &s->id), Str(o, "user_id", &s->user_id),
                Str(o, "device_id", &s->device_id), Str(o, "roles", &s->roles),
                Int(o, "create_at", &s->create_at), Int(o, "expires_at", &s->expires_at),
                Int(o, "last_activity_at", &s->last_activity_at),
                Bool(o, "is_oauth", &s->is_oauth), Map(o, "props", &s->props)});
}

Status Fill(const Obj& o, Audit* a) {
  return First({Str(o, "id", &a->id), Int(o, "create_at", &a->create_at),
                Str(o, "user_id", &a->user_id), Str(o, "action", &a->action),
                Str(o, "extra_info", &a->extra_info), Str(o, "ip_address", &a->ip_address),
                Str(o, "session_id", &a->session_id)});
}

Status Fill(const Obj& o, UsersStats* s) {
  return Int(o, "total_users_count", &s->total_users_count);
}

Status Fill(const Obj& o, UserReport* r) {
  return First({Str(o, "id", &r->id), Int(o, "create_at", &r->create_at),
                Str(o, "username", &r->username), Str(o, "email", &r->email),
                Str(o, "display_name", &r->display_name),
                OptInt(o, "last_login_at", &r->last_login_at),
                OptInt(o, "last_status_at", &r->last_status_at),
                OptInt(o, "last_post_date", &r->last_post_date),
                OptInt(o, "days_active", &r->days_active),
                OptInt(o, "total_posts", &r->total_posts)});
}

Status Fill(const Obj& o, ServerLimits* l) {
  return First({Int(o, "maxUsersLimit", &l->max_users_limit),
                Int(o, "activeUserCount", &l->active_user_count)});
}

Status Fill(const Obj& o, ChannelMemberWithTeamData* m) {
  return First({Str(o, "channel_id", &m->channel_id), Str(o, "user_id", &m->user_id),
                Str(o, "roles", &m->roles), Int(o, "last_viewed_at", &m->last_viewed_at),
                Int(o, "msg_count", &m->msg_count), Int(o, "mention_count", &m->mention_count),
                Int(o, "last_update_at", &m->last_update_at),
                Map(o, "notify_props", &m->notify_props),
                Str(o, "team_display_name", &m->team_display_name),
                Str(o, "team_name", &m->team_name), Int(o, "team_update_at", &m->team_update_at)});
}

Status Fill(const Obj& o, UploadSession* u) {
  return First({Str(o, "id", &u->id), Str(o, "type", &u->type), Int(o, "create_at", &u->create_at),
                Str(o, "user_id", &u->user_id), Str(o, "channel_id", &u->channel_id),
                Str(o, "filename", &u->filename), Int(o, "file_size", &u->file_size),
                Int(o, "file_offset", &u->file_offset)});
}

Status Fill(const Obj& o, UserTermsOfService* t) {
  return First({Str(o, "user_id", &t->user_id),
                Str(o, "terms_of_service_id", &t->terms_of_service_id),
                Int(o, "create_at", &t->create_at)});
}

Status Fill(const Obj& o, MfaSecret* m) {
  return First({Str(o, "secret", &m->secret), Str(o, "qr_code", &m->qr_code)});
}

Status Fill(const Obj& o, SwitchAccountTypeResult* r) {
  return Str(o, "follow_link", &r->follow_link);
}

Status Fill(const Obj& o, bool* mfa_required) { return Bool(o, "mfa_required", mfa_required); }

// group_constrained is a nullable bool on the server: null (absent) means false.
Status Fill(const Obj& o, Team* t) {
  return First({Str(o, "id", &t->id), Str(o, "name", &t->name),
                Str(o, "display_name", &t->display_name), Str(o, "type", &t->type),
                Int(o, "create_at", &t->create_at), Int(o, "update_at", &t->update_at),
                Int(o, "delete_at", &t->delete_at),
                Bool(o, "group_constrained", &t->group_constrained),
                Bool(o, "allow_open_invite", &t->allow_open_invite)});
}

Status Fill(const Obj& o, Channel* c) {
  return First({Str(o, "id", &c->id), Str(o, "team_id", &c->team_id), Str(o, "name", &c->name),
                Str(o, "display_name", &c->display_name), Str(o, "type", &c->type),
                Int(o, "create_at", &c->create_at), Int(o, "update_at", &c->update_at),
                Int(o, "delete_at", &c->delete_at),
                Bool(o, "group_constrained", &c->group_constrained)});
}

Status Fill(const Obj& o, TeamMember* m) {
  return First({Str(o, "team_id", &m->team_id), Str(o, "user_id", &m->user_id),
                Str(o, "roles", &m->roles), Int(o, "delete_at", &m->delete_at),
                Bool(o, "scheme_guest", &m->scheme_guest),
                Bool(o, "scheme_user", &m->scheme_user),
                Bool(o, "scheme_admin", &m->scheme_admin),
                Str(o, "explicit_roles", &m->explicit_roles)});
}

Status Fill(const Obj& o, ChannelMember* m) {
  return First({Str(o, "channel_id", &m->channel_id), Str(o, "user_id", &m->user_id),
                Str(o, "roles", &m->roles), Int(o, "last_update_at", &m->last_update_at),
                Bool(o, "scheme_guest", &m->scheme_guest),
                Bool(o, "scheme_user", &m->scheme_user),
                Bool(o, "scheme_admin", &m->scheme_admin)});
}

Status Fill(const Obj& o, AppErrorInfo* e) {
  return First({Str(o, "id", &e->id), Str(o, "message", &e->message),
                Int(o, "status_code", &e->status_code)});
}

// {"user_id", "member": TeamMember|null, "error": AppError|null}
Status Fill(const Obj& o, TeamMemberWithError* r) {
  Status s = Str(o, "user_id", &r->user_id);
  if (!s.ok()) return s;
  if (o->has("member") && !o->get("member").isEmpty()) {
    auto member = json::AsObject(o->get("member"), "member");
    if (!member.ok()) return member.status();
    r->member.emplace();
    s = Fill(*member, &*r->member).Annotate("member");
    if (!s.ok()) return s;
  }
  if (o->has("error") && !o->get("error").isEmpty()) {
    auto error = json::AsObject(o->get("error"), "error");
    if (!error.ok()) return error.status();
    r->error.emplace();
    return Fill(*error, &*r->error).Annotate("error");
  }
  return Status::Ok();
}

// Overloads for non-object values and composites, declared before the templates use them.
Status FromVar(const json::Var& v, const std::string& what, UserAutocomplete* out);
Status FromVar(const json::Var& v, const std::string& what,
               std::map<std::string, std::vector<User>>* out);

// Values of any decodable kind.
template <typename T>
Status FromVar(const json::Var& v, const std::string& what, T* out) {
  auto obj = json::AsObject(v, what);
  if (!obj.ok()) return obj.status();
  return Fill(*obj, out).Annotate(what);
}

Status FromVar(const json::Var& v, const std::string& what, std::string* out) {
  return json::VarToString(v, what, out);
}
Status FromVar(const json::Var& v, const std::string& what, int64_t* out) {
  return json::VarToInt(v, what, out);
}
Status FromVar(const json::Var& v, const std::string& what, double* out) {
  if (v.isString() || v.isBoolean() || !v.isNumeric()) {
    return Status::Invalid("JSON field '" + what + "': expected number");
  }
  *out = v.convert<double>();
  return Status::Ok();
}
Status FromVar(const json::Var& v, const std::string& what, StringMap* out) {
  return json::ToStringMap(v, what, out);
}

template <typename T>
Status FromVar(const json::Var& v, const std::string& what, std::vector<T>* out) {
  auto arr = json::AsArray(v, what);
  if (!arr.ok()) return arr.status();
  std::vector<T> items;
  items.reserve((*arr)->size());
  for (std::size_t i = 0; i < (*arr)->size(); ++i) {
    T item{};
    Status s = FromVar((*arr)->get(static_cast<unsigned>(i)), what + "[" + std::to_string(i) + "]",
                       &item);
    if (!s.ok()) return s;
    items.push_back(std::move(item));
  }
  *out = std::move(items);
  return Status::Ok();
}

Status FromVar(const json::Var& v, const std::string& what, UserAutocomplete* out) {
  auto obj = json::AsObject(v, what);
  if (!obj.ok()) return obj.status();
  for (const char* field : {"users", "out_of_channel"}) {
    if (!(*obj)->has(field) || (*obj)->get(field).isEmpty()) continue;
    auto* target = std::string(field) == "users" ? &out->users : &out->out_of_channel;
    Status s = FromVar((*obj)->get(field), field, target);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status FromVar(const json::Var& v, const std::string& what,
               std::map<std::string, std::vector<User>>* out) {
  auto obj = json::AsObject(v, what);
  if (!obj.ok()) return obj.status();
  for (const auto& [key, value] : **obj) {
    Status s = FromVar(value, key, &(*out)[key]);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

template <typename T>
Result<T> Decode(const std::string& text) {
  auto parsed = json::Parse(text);
  if (!parsed.ok()) return parsed.status();
  T value{};
  Status s = FromVar(*parsed, "body", &value);
  if (!s.ok()) return s;
  return value;
}

Result<std::vector<User>> DecodeUsersTree(const std::string& text, bool list) {
  if (list) {
    auto parsed = json::Parse(text);
    if (!parsed.ok()) return parsed.status();
    std::vector<User> users;
    Status s = FromVar(*parsed, "body", &users);
    if (!s.ok()) return s;
    return users;
  }
  auto one = Decode<User>(text);
  if (!one.ok()) return one.status();
  return std::vector<User>{std::move(one).value()};
}

// Users take the streaming decoder (json_user_stream.h); the tree decoder is the fallback.
template <>
Result<std::vector<User>> Decode<std::vector<User>>(const std::string& text) {
  std::vector<User> users;
  bool fallback = false;
  Status s = StreamDecodeUsers(text, /*list=*/true, &users, &fallback);
  if (fallback) return DecodeUsersTree(text, true);
  if (!s.ok()) return s;
  return users;
}

template <>
Result<PlannerUsers> Decode<PlannerUsers>(const std::string& text) {
  PlannerUsers page;
  if (SimdDecodeUsers(text, /*list=*/true, &page.users, /*keep_maps=*/false)) return page;
  auto full = Decode<std::vector<User>>(text);
  if (!full.ok()) return full.status();
  page.users = std::move(full).value();
  for (User& u : page.users) {
    u.props.clear();
    u.notify_props.clear();
    u.timezone.clear();
  }
  return page;
}

#define ROSTERSYNC_DECODE(T)                           \
  template Result<T> Decode<T>(const std::string&);    \
  template Result<std::vector<T>> Decode<std::vector<T>>(const std::string&);

template Result<User> Decode<User>(const std::string&);
ROSTERSYNC_DECODE(UserAccessToken)
ROSTERSYNC_DECODE(StatusOK)
ROSTERSYNC_DECODE(UserAuthData)
ROSTERSYNC_DECODE(UserAccessTokenSanitized)
ROSTERSYNC_DECODE(Session)
ROSTERSYNC_DECODE(Audit)
ROSTERSYNC_DECODE(UsersStats)
ROSTERSYNC_DECODE(UserAutocomplete)
ROSTERSYNC_DECODE(UserReport)
ROSTERSYNC_DECODE(ServerLimits)
ROSTERSYNC_DECODE(ChannelMemberWithTeamData)
ROSTERSYNC_DECODE(UploadSession)
ROSTERSYNC_DECODE(UserTermsOfService)
ROSTERSYNC_DECODE(MfaSecret)
ROSTERSYNC_DECODE(SwitchAccountTypeResult)
ROSTERSYNC_DECODE(Team)
ROSTERSYNC_DECODE(Channel)
ROSTERSYNC_DECODE(TeamMember)
ROSTERSYNC_DECODE(ChannelMember)
ROSTERSYNC_DECODE(TeamMemberWithError)
ROSTERSYNC_DECODE(std::string)
ROSTERSYNC_DECODE(StringMap)
template Result<int64_t> Decode<int64_t>(const std::string&);
template Result<double> Decode<double>(const std::string&);
template Result<bool> Decode<bool>(const std::string&);
template Result<std::map<std::string, std::vector<User>>>
Decode<std::map<std::string, std::vector<User>>>(const std::string&);
#undef ROSTERSYNC_DECODE

}  // namespace rostersync::api
