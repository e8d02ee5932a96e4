// JSON for the state layer, on Poco JSON. Exceptions stop here and become Invalid.
#include "state/audit_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <ctime>
#include <sstream>

namespace rostersync {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string Stringify(const Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::string Stringify(const Array& a) {
  std::ostringstream out;
  a.stringify(out);
  return out.str();
}

std::string Str(const Object::Ptr& o, const std::string& key) {
  if (o.isNull() || !o->has(key) || o->isNull(key)) return "";
  return o->getValue<std::string>(key);
}

std::optional<std::string> OptStr(const Object::Ptr& o, const std::string& key) {
  if (o.isNull() || !o->has(key) || o->isNull(key)) return std::nullopt;
  return o->getValue<std::string>(key);
}

StringMap MapOf(const Object::Ptr& o) {
  StringMap m;
  if (o.isNull()) return m;
  for (const auto& [k, v] : *o) m[k] = v.toString();
  return m;
}

std::optional<StringMap> OptMap(const Object::Ptr& o, const std::string& key) {
  if (o.isNull() || !o->has(key) || o->isNull(key)) return std::nullopt;
  return MapOf(o->getObject(key));
}

template <typename Fn>
auto Parse(const std::string& json, const char* what, Fn fn) -> decltype(fn(Poco::Dynamic::Var())) {
  try {
    Poco::JSON::Parser parser;
    return fn(parser.parse(json));
  } catch (const Poco::Exception& e) {
    return Status::Invalid(std::string("malformed ") + what + ": " + e.displayText());
  } catch (const std::exception& e) {
    return Status::Invalid(std::string("malformed ") + what + ": " + e.what());
  }
}

NewUser NewUserFromJson(const Object::Ptr& n) {
  NewUser u;
  u.username = Str(n, "username");
  u.email = Str(n, "email");
  u.first_name = Str(n, "first_name");
  u.last_name = Str(n, "last_name");
  u.nickname = Str(n, "nickname");
  u.position = Str(n, "position");
  u.locale = Str(n, "locale");
  u.auth_service = Str(n, "auth_service");
  u.auth_data = Str(n, "auth_data");
  if (n->has("email_verified")) u.email_verified = n->getValue<bool>("email_verified");
  if (auto p = OptMap(n, "props")) u.props = *p;
  if (auto p = OptMap(n, "notify_props")) u.notify_props = *p;
  return u;
}

UserPatch UserPatchFromJson(const Object::Ptr& p) {
  UserPatch patch;
  patch.username = OptStr(p, "username");
  patch.email = OptStr(p, "email");
  patch.first_name = OptStr(p, "first_name");
  patch.last_name = OptStr(p, "last_name");
  patch.nickname = OptStr(p, "nickname");
  patch.position = OptStr(p, "position");
  patch.locale = OptStr(p, "locale");
  patch.props = OptMap(p, "props");
  patch.notify_props = OptMap(p, "notify_props");
  patch.timezone = OptMap(p, "timezone");
  return patch;
}

}  // namespace

std::string IsoTimestampMs(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
  return buf;
}

static int64_t ParseIsoMs(const std::string& s) {
  std::tm tm{};
  int millis = 0;
  if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis) < 6) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + millis;
}

std::string AuditRecordToJson(const AuditRecord& r) {
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("ts", IsoTimestampMs(r.ts_ms));
  o.set("run_id", r.run_id);
  o.set("action", r.action);
  o.set("key", r.key);
  o.set("user_id", r.user_id);
  o.set("username", r.username);
  Object changes(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& c : r.changes) {
    Object fromto(Poco::JSON_PRESERVE_KEY_ORDER);
    fromto.set("from", c.from);
    fromto.set("to", c.to);
    changes.set(c.field, fromto);
  }
  o.set("changes", changes);
  o.set("result", r.result);
  o.set("http_status", r.http_status);
  o.set("request_id", r.request_id);
  o.set("error", r.error);
  return Stringify(o);
}

Result<AuditRecord> AuditRecordFromJson(const std::string& json) {
  return Parse(json, "audit record", [](const Poco::Dynamic::Var& v) -> Result<AuditRecord> {
    auto o = v.extract<Object::Ptr>();
    AuditRecord r;
    r.ts_ms = ParseIsoMs(Str(o, "ts"));
    r.run_id = Str(o, "run_id");
    r.action = Str(o, "action");
    r.key = Str(o, "key");
    r.user_id = Str(o, "user_id");
    r.username = Str(o, "username");
    if (auto changes = o->getObject("changes")) {
      for (const auto& [field, value] : *changes) {
        auto fromto = value.extract<Object::Ptr>();
        r.changes.push_back({field, Str(fromto, "from"), Str(fromto, "to")});
      }
    }
    r.result = Str(o, "result");
    r.http_status = o->optValue<int>("http_status", 0);
    r.request_id = Str(o, "request_id");
    r.error = Str(o, "error");
    return r;
  });
}

Result<Action> ActionFromJson(const std::string& json) {
  return Parse(json, "journal payload", [](const Poco::Dynamic::Var& v) -> Result<Action> {
    auto o = v.extract<Object::Ptr>();
    Action a;
    // "action" (ActionToJson); "type" in payloads journaled before the two encoders merged.
    std::string type = o->has("action") ? Str(o, "action") : Str(o, "type");
    bool known = false;
    for (int t = 0; t < kActionTypeCount; ++t) {
      if (type == ActionName(static_cast<ActionType>(t))) {
        a.type = static_cast<ActionType>(t);
        known = true;
      }
    }
    if (!known) return Status::Invalid("journal payload: unknown action type \"" + type + "\"");
    a.key = Str(o, "key");
    a.user_id = Str(o, "user_id");
    a.username = Str(o, "username");
    a.email = Str(o, "email");
    a.detail = Str(o, "detail");
    a.held = o->optValue<bool>("held", false);
    a.held_reason = Str(o, "held_reason");
    a.team_id = Str(o, "team_id");
    a.team = Str(o, "team");
    a.channel_id = Str(o, "channel_id");
    a.channel = Str(o, "channel");
    if (auto changes = o->getArray("changes")) {
      for (size_t i = 0; i < changes->size(); ++i) {
        auto c = changes->getObject(static_cast<unsigned>(i));
        a.changes.push_back({Str(c, "field"), Str(c, "from"), Str(c, "to")});
      }
    }
    if (auto n = o->getObject("new_user")) a.new_user = NewUserFromJson(n);
    if (auto p = o->getObject("patch")) a.patch = UserPatchFromJson(p);
    a.roles = Str(o, "roles");
    a.auth_service = Str(o, "auth_service");
    a.auth_data = Str(o, "auth_data");
    return a;
  });
}

std::string StringMapToJson(const std::map<std::string, std::string>& map) {
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [k, v] : map) o.set(k, v);
  return Stringify(o);
}

Result<std::map<std::string, std::string>> StringMapFromJson(const std::string& json) {
  return Parse(json, "string map", [](const Poco::Dynamic::Var& v)
                                       -> Result<std::map<std::string, std::string>> {
    return MapOf(v.extract<Object::Ptr>());
  });
}

std::string StringSetToJson(const std::set<std::string>& set) {
  Array a;
  for (const auto& s : set) a.add(s);
  return Stringify(a);
}

Result<std::set<std::string>> StringSetFromJson(const std::string& json) {
  return Parse(json, "string list",
               [](const Poco::Dynamic::Var& v) -> Result<std::set<std::string>> {
                 auto a = v.extract<Array::Ptr>();
                 std::set<std::string> out;
                 for (size_t i = 0; i < a->size(); ++i) out.insert(a->getElement<std::string>(i));
                 return out;
               });
}

std::string ChangesToJson(const std::vector<FieldChange>& changes) {
  Array a;
  for (const auto& c : changes) {
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("field", c.field);
    o.set("from", c.from);
    o.set("to", c.to);
    a.add(o);
  }
  return Stringify(a);
}

Result<std::vector<FieldChange>> ChangesFromJson(const std::string& json) {
  return Parse(json, "changes",
               [](const Poco::Dynamic::Var& v) -> Result<std::vector<FieldChange>> {
                 auto a = v.extract<Poco::JSON::Array::Ptr>();
                 std::vector<FieldChange> out;
                 for (size_t i = 0; i < a->size(); ++i) {
                   auto c = a->getObject(static_cast<unsigned>(i));
                   out.push_back({Str(c, "field"), Str(c, "from"), Str(c, "to")});
                 }
                 return out;
               });
}

}  // namespace rostersync
