// Encoders for request bodies (see json_codec.h). Only set fields are written.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "api/json_codec.h"

namespace rostersync::api {

namespace {

using Obj = Poco::JSON::Object;

Poco::JSON::Object::Ptr FromMap(const StringMap& map) {
  Poco::JSON::Object::Ptr obj = new Obj(true);
  for (const auto& [k, v] : map) obj->set(k, v);
  return obj;
}

template <typename T>
void SetIf(Obj& o, const char* field, const std::optional<T>& value) {
  if (value) o.set(field, *value);
}

void SetIf(Obj& o, const char* field, const std::optional<StringMap>& value) {
  if (value) o.set(field, FromMap(*value));
}

void SetIfNonEmpty(Obj& o, const char* field, const std::string& value) {
  if (!value.empty()) o.set(field, value);
}

std::string Text(const Obj& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

}  // namespace

std::string EncodeNewUser(const NewUser& u) {
  Obj o(true);
  o.set("email", u.email);
  o.set("username", u.username);
  SetIfNonEmpty(o, "first_name", u.first_name);
  SetIfNonEmpty(o, "last_name", u.last_name);
  SetIfNonEmpty(o, "nickname", u.nickname);
  SetIfNonEmpty(o, "position", u.position);
  SetIfNonEmpty(o, "locale", u.locale);
  SetIfNonEmpty(o, "auth_service", u.auth_service);
  SetIfNonEmpty(o, "auth_data", u.auth_data);
  SetIfNonEmpty(o, "password", u.password);
  SetIf(o, "email_verified", u.email_verified);
  if (!u.props.empty()) o.set("props", FromMap(u.props));
  if (!u.notify_props.empty()) o.set("notify_props", FromMap(u.notify_props));
  return Text(o);
}

std::string EncodeUserPatch(const UserPatch& p) {
  Obj o(true);
  SetIf(o, "username", p.username);
  SetIf(o, "email", p.email);
  SetIf(o, "first_name", p.first_name);
  SetIf(o, "last_name", p.last_name);
  SetIf(o, "nickname", p.nickname);
  SetIf(o, "position", p.position);
  SetIf(o, "locale", p.locale);
  SetIf(o, "password", p.password);
  SetIf(o, "props", p.props);
  SetIf(o, "notify_props", p.notify_props);
  SetIf(o, "timezone", p.timezone);
  return Text(o);
}

std::string EncodeUserUpdate(const UserUpdate& u) {
  Obj o(true);
  o.set("id", u.id);
  o.set("email", u.email);
  o.set("username", u.username);
  SetIf(o, "first_name", u.first_name);
  SetIf(o, "last_name", u.last_name);
  SetIf(o, "nickname", u.nickname);
  SetIf(o, "locale", u.locale);
  SetIf(o, "position", u.position);
  SetIf(o, "timezone", u.timezone);
  SetIf(o, "props", u.props);
  SetIf(o, "notify_props", u.notify_props);
  return Text(o);
}

std::string EncodeLoginRequest(const LoginRequest& r) {
  Obj o(true);
  SetIf(o, "id", r.id);
  SetIf(o, "login_id", r.login_id);
  SetIf(o, "token", r.token);
  SetIf(o, "device_id", r.device_id);
  SetIf(o, "ldap_only", r.ldap_only);
  SetIf(o, "password", r.password);
  return Text(o);
}

std::string EncodeSearchUsersRequest(const SearchUsersRequest& r) {
  Obj o(true);
  o.set("term", r.term);
  SetIf(o, "team_id", r.team_id);
  SetIf(o, "not_in_team_id", r.not_in_team_id);
  SetIf(o, "in_channel_id", r.in_channel_id);
  SetIf(o, "not_in_channel_id", r.not_in_channel_id);
  SetIf(o, "in_group_id", r.in_group_id);
  SetIf(o, "group_constrained", r.group_constrained);
  SetIf(o, "allow_inactive", r.allow_inactive);
  SetIf(o, "without_team", r.without_team);
  SetIf(o, "limit", r.limit);
  return Text(o);
}

std::string EncodeSwitchAccountTypeRequest(const SwitchAccountTypeRequest& r) {
  Obj o(true);
  o.set("current_service", r.current_service);
  o.set("new_service", r.new_service);
  SetIf(o, "email", r.email);
  SetIf(o, "password", r.password);
  SetIf(o, "mfa_code", r.mfa_code);
  SetIf(o, "ldap_id", r.ldap_id);
  return Text(o);
}

std::string EncodeStringArray(const std::vector<std::string>& values) {
  Poco::JSON::Array arr;
  for (const auto& v : values) arr.add(v);
  std::ostringstream out;
  arr.stringify(out);
  return out.str();
}

std::string EncodeStringFields(const std::vector<std::pair<std::string, std::string>>& fields) {
  Obj o(true);
  for (const auto& [k, v] : fields) o.set(k, v);
  return Text(o);
}

std::string EncodeStringMap(const StringMap& map) { return Text(*FromMap(map)); }

std::string EncodeFields(const std::vector<JsonField>& fields) {
  Obj o(true);
  for (const auto& field : fields) {
    if (const auto* s = std::get_if<std::string>(&field.value)) {
      o.set(field.name, *s);
    } else if (const auto* b = std::get_if<bool>(&field.value)) {
      o.set(field.name, *b);
    } else if (const auto* i = std::get_if<int64_t>(&field.value)) {
      o.set(field.name, static_cast<Poco::Int64>(*i));
    } else if (const auto* m = std::get_if<StringMap>(&field.value)) {
      o.set(field.name, FromMap(*m));
    }
  }
  return Text(o);
}

}  // namespace rostersync::api
