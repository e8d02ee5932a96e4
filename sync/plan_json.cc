// Plan and Action as JSON by hand (sync/ links no JSON library): fixed member order, so two
// identical plans give byte-identical documents (docs/plan-json.md).
#include "sync/plan_json.h"

#include <cstdio>

namespace rostersync {

namespace {

constexpr int kTypeCount = kActionTypeCount;

// Appends "name":value pairs, minding commas.
class Obj {
 public:
  explicit Obj(std::string* out) : out_(out) { *out_ += '{'; }
  void Raw(const char* name, const std::string& json) {
    if (!first_) *out_ += ',';
    first_ = false;
    *out_ += JsonEscape(name);
    *out_ += ':';
    *out_ += json;
  }
  void Str(const char* name, const std::string& value) { Raw(name, JsonEscape(value)); }
  void Int(const char* name, long long value) { Raw(name, std::to_string(value)); }
  void Bool(const char* name, bool value) { Raw(name, value ? "true" : "false"); }
  void Close() { *out_ += '}'; }

 private:
  std::string* out_;
  bool first_ = true;
};

// "[a,b,...]" with each element written by write(item, &out).
template <typename T, typename Fn>
std::string ArrayJson(const std::vector<T>& items, Fn write) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    write(items[i], &out);
  }
  out += ']';
  return out;
}

std::string MapJson(const StringMap& m) {
  std::string out;
  Obj o(&out);
  for (const auto& [key, value] : m) o.Str(key.c_str(), value);
  o.Close();
  return out;
}

std::string PatchJson(const UserPatch& p) {
  std::string out;
  Obj o(&out);
  if (p.username) o.Str("username", *p.username);
  if (p.email) o.Str("email", *p.email);
  if (p.first_name) o.Str("first_name", *p.first_name);
  if (p.last_name) o.Str("last_name", *p.last_name);
  if (p.nickname) o.Str("nickname", *p.nickname);
  if (p.position) o.Str("position", *p.position);
  if (p.locale) o.Str("locale", *p.locale);
  // Never planned today, but carried so that a journaled action is the action it was.
  if (p.props) o.Raw("props", MapJson(*p.props));
  if (p.notify_props) o.Raw("notify_props", MapJson(*p.notify_props));
  if (p.timezone) o.Raw("timezone", MapJson(*p.timezone));
  o.Close();  // password: never
  return out;
}

std::string NewUserJson(const NewUser& u) {
  std::string out;
  Obj o(&out);
  o.Str("username", u.username);
  o.Str("email", u.email);
  o.Str("first_name", u.first_name);
  o.Str("last_name", u.last_name);
  o.Str("nickname", u.nickname);
  o.Str("position", u.position);
  o.Str("locale", u.locale);
  o.Str("auth_service", u.auth_service);
  o.Str("auth_data", u.auth_data);
  if (u.email_verified) o.Bool("email_verified", *u.email_verified);
  if (!u.props.empty()) o.Raw("props", MapJson(u.props));
  if (!u.notify_props.empty()) o.Raw("notify_props", MapJson(u.notify_props));
  o.Close();  // password: never
  return out;
}

// The lists an admin acts on by hand: attention items, rejected rows, unmatched accounts.
void AppendPeopleLists(const Plan& plan, Obj* o) {
  o->Raw("attention", ArrayJson(plan.attention, [](const Attention& item, std::string* out) {
    Obj a(out);
    a.Str("key", item.key);
    a.Str("username", item.username);
    a.Str("message", item.message);
    a.Close();
  }));
  o->Raw("rejected", ArrayJson(plan.rejected, [](const RowError& row, std::string* out) {
    Obj r(out);
    r.Str("where", row.where);
    r.Str("key", row.key);
    r.Str("column", row.column);
    r.Str("reason", row.reason);
    r.Close();
  }));
  o->Raw("unmatched_accounts",
         ArrayJson(plan.unmatched, [](const UnmatchedAccount& account, std::string* out) {
           Obj u(out);
           u.Str("user_id", account.user_id);
           u.Str("username", account.username);
           u.Str("email", account.email);
           u.Str("auth_service", account.auth_service);
           u.Close();
         }));
}

}  // namespace

std::string JsonEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

std::string ActionToJson(const Action& a) {
  std::string out;
  Obj o(&out);
  o.Str("action", ActionName(a.type));
  o.Str("key", a.key);
  o.Str("user_id", a.user_id);
  o.Str("username", a.username);
  o.Str("email", a.email);
  o.Raw("changes", ArrayJson(a.changes, [](const FieldChange& change, std::string* out) {
    Obj c(out);
    c.Str("field", change.field);
    c.Str("from", change.from);
    c.Str("to", change.to);
    c.Close();
  }));
  o.Str("detail", a.detail);
  o.Bool("held", a.held);
  o.Str("held_reason", a.held_reason);
  switch (a.type) {
    case ActionType::kCreate: o.Raw("new_user", NewUserJson(a.new_user)); break;
    case ActionType::kUpdate: o.Raw("patch", PatchJson(a.patch)); break;
    case ActionType::kRole:
    case ActionType::kGuest:
    case ActionType::kPromote: o.Str("roles", a.roles); break;
    case ActionType::kAuth:
      o.Str("auth_service", a.auth_service);
      o.Str("auth_data", a.auth_data);
      break;
    case ActionType::kJoinTeam:
    case ActionType::kLeaveTeam:
      o.Str("team_id", a.team_id);
      o.Str("team", a.team);
      break;
    case ActionType::kJoinChannel:
    case ActionType::kLeaveChannel:
      o.Str("team_id", a.team_id);
      o.Str("team", a.team);
      o.Str("channel_id", a.channel_id);
      o.Str("channel", a.channel);
      break;
    default: break;
  }
  o.Close();
  return out;
}

std::string PlanToJson(const Plan& plan) {
  std::string out;
  Obj o(&out);
  o.Int("schema_version", 1);
  o.Bool("has_changes", plan.HasChanges());
  o.Str("cycle", plan.incremental ? "incremental" : "full");
  std::string summary;
  {
    int counts[kTypeCount] = {};
    for (const Action& a : plan.actions) {
      if (!a.held) ++counts[static_cast<int>(a.type)];
    }
    Obj s(&summary);
    for (int t = 0; t < kTypeCount; ++t) {
      // Membership counts only when there are some: plans without membership keep their shape.
      if (IsMembershipAction(static_cast<ActionType>(t)) && counts[t] == 0) continue;
      s.Int(ActionName(static_cast<ActionType>(t)), counts[t]);
    }
    s.Int("total", plan.CountActive());
    s.Int("held", plan.CountHeld());
    s.Int("notices", static_cast<long long>(plan.notices.size()));
    s.Int("attention", static_cast<long long>(plan.attention.size()));
    s.Int("rejected_rows", plan.rejected_rows);
    s.Int("unmatched_accounts", static_cast<long long>(plan.unmatched.size()));
    s.Close();
  }
  o.Raw("summary", summary);
  o.Int("managed_users", plan.managed_users);
  o.Int("roster_rows", plan.roster_rows);
  o.Int("rejected_rows", plan.rejected_rows);
  o.Raw("actions", ArrayJson(plan.actions, [](const Action& action, std::string* out) {
    *out += ActionToJson(action);
  }));
  o.Raw("holds", ArrayJson(plan.holds, [](const Hold& hold, std::string* out) {
    Obj h(out);
    h.Str("guard", hold.guard);
    h.Int("count", hold.count);
    h.Str("message", hold.message);
    h.Close();
  }));
  o.Raw("notices", ArrayJson(plan.notices, [](const std::string& notice, std::string* out) {
    *out += JsonEscape(notice);
  }));
  AppendPeopleLists(plan, &o);
  o.Close();
  return out;
}

}  // namespace rostersync
