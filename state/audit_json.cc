// JSON for the state layer, on Poco JSON. Exceptions stop here and become Invalid.
#include "state/audit_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <map>
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
auto Parse(const std::string& json, const char* what, Fn fn, bool keep_key_order = false)
    -> decltype(fn(Poco::Dynamic::Var())) {
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(keep_key_order));
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

namespace {

// The key of the n-th change (from 0) of a field within one record: the field name for the
// first, "field#2", "field#3", ... for later ones (two revoked access tokens are two
// "access_token" changes). A JSON object keeps one value per key; a repeated key would lose
// all but one of them.
std::string ChangeKey(const std::string& field, int nth) {
  return nth == 0 ? field : field + "#" + std::to_string(nth + 1);
}

// The field a "changes" key names: "field#N" (N >= 2) is a later change of "field" when the
// record also holds "field"; any other key is the field itself.
std::string FieldOfKey(const Object::Ptr& changes, const std::string& key) {
  const size_t hash = key.rfind('#');
  if (hash == std::string::npos || hash == 0 || hash + 1 == key.size()) return key;
  for (size_t i = hash + 1; i < key.size(); ++i) {
    if (key[i] < '0' || key[i] > '9') return key;
  }
  const std::string field = key.substr(0, hash);
  return changes->has(field) ? field : key;
}

// The number after "#" in a repeated change's key (1 for the first change of a field).
int ChangeOrdinal(const std::string& key, const std::string& field) {
  return key.size() == field.size() ? 1 : std::atoi(key.c_str() + field.size() + 1);
}

// The changes of a record in the order written: repeated fields ("x", "x#2", "x#3") come
// back as changes of "x" in their order.
std::vector<FieldChange> ChangesOfRecord(const Object::Ptr& changes) {
  struct Read {
    size_t first;  // where the field's first key was read
    int ordinal;
    FieldChange change;
  };
  std::vector<Read> read;
  std::map<std::string, size_t> first;
  for (const std::string& key : changes->getNames()) {  // in written order (parsed so)
    auto fromto = changes->getObject(key);
    std::string field = FieldOfKey(changes, key);
    const size_t at = first.emplace(field, read.size()).first->second;
    read.push_back({at, ChangeOrdinal(key, field),
                    FieldChange{field, Str(fromto, "from"), Str(fromto, "to")}});
  }
  std::stable_sort(read.begin(), read.end(), [](const Read& a, const Read& b) {
    return a.first != b.first ? a.first < b.first : a.ordinal < b.ordinal;
  });
  std::vector<FieldChange> out;
  for (Read& entry : read) out.push_back(std::move(entry.change));
  return out;
}

}  // namespace

std::string AuditRecordToJson(const AuditRecord& r) {
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("ts", IsoTimestampMs(r.ts_ms));
  o.set("run_id", r.run_id);
  o.set("action", std::string(ToString(r.action)));
  o.set("key", r.key);
  o.set("user_id", r.user_id);
  o.set("username", r.username);
  Object changes(Poco::JSON_PRESERVE_KEY_ORDER);
  std::map<std::string, int> seen;  // field -> changes of it written so far
  for (const auto& c : r.changes) {
    Object fromto(Poco::JSON_PRESERVE_KEY_ORDER);
    fromto.set("from", c.from);
    fromto.set("to", c.to);
    std::string key = ChangeKey(c.field, seen[c.field]++);
    while (changes.has(key)) key = ChangeKey(c.field, seen[c.field]++);  // a field named "x#2"
    changes.set(key, fromto);
  }
  o.set("changes", changes);
  o.set("result", std::string(ToString(r.result)));
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
    Result<AuditAction> action = AuditActionFromString(Str(o, "action"));
    if (!action.ok()) return action.status().Annotate("audit record");
    r.action = *action;
    r.key = Str(o, "key");
    r.user_id = Str(o, "user_id");
    r.username = Str(o, "username");
    if (auto changes = o->getObject("changes")) r.changes = ChangesOfRecord(changes);
    Result<AuditResult> result = AuditResultFromString(Str(o, "result"));
    if (!result.ok()) return result.status().Annotate("audit record");
    r.result = *result;
    r.http_status = o->optValue<int>("http_status", 0);
    r.request_id = Str(o, "request_id");
    r.error = Str(o, "error");
    return r;
  }, /*keep_key_order=*/true);
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
