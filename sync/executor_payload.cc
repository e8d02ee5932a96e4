// Executor helpers without I/O: the journal payload encoder, provenance and drift checks.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <sstream>

#include "sync/executor.h"

namespace rostersync {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string MapJson(const StringMap& m) {
  std::string out = "{";
  for (const auto& [k, v] : m) {
    if (out.size() > 1) out += ",";
    out += Quote(k) + ":" + Quote(v);
  }
  return out + "}";
}

class ObjectWriter {
 public:
  void Str(const std::string& k, const std::string& v) { Raw(k, Quote(v)); }
  void Opt(const std::string& k, const std::optional<std::string>& v) {
    if (v) Str(k, *v);
  }
  void Raw(const std::string& k, const std::string& json) {
    out_ += (out_.empty() ? "{" : ",") + Quote(k) + ":" + json;
  }
  std::string Done() const { return out_.empty() ? "{}" : out_ + "}"; }

 private:
  std::string out_;
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::set<std::string> Words(const std::string& s) {
  std::set<std::string> words;
  std::istringstream in(s);
  for (std::string w; in >> w;) words.insert(w);
  return words;
}

}  // namespace

std::string ActionJournalPayload(const Action& a) {
  ObjectWriter w;
  w.Str("type", ActionName(a.type));
  w.Str("key", a.key);
  w.Str("user_id", a.user_id);
  w.Str("username", a.username);
  w.Str("email", a.email);
  std::string changes = "[";
  for (const auto& c : a.changes) {
    if (changes.size() > 1) changes += ",";
    changes += "{\"field\":" + Quote(c.field) + ",\"from\":" + Quote(c.from) +
               ",\"to\":" + Quote(c.to) + "}";
  }
  w.Raw("changes", changes + "]");
  w.Str("detail", a.detail);
  if (a.type == ActionType::kCreate) {
    const NewUser& n = a.new_user;  // password deliberately left out
    ObjectWriter nw;
    nw.Str("username", n.username);
    nw.Str("email", n.email);
    nw.Str("first_name", n.first_name);
    nw.Str("last_name", n.last_name);
    nw.Str("nickname", n.nickname);
    nw.Str("position", n.position);
    nw.Str("locale", n.locale);
    nw.Str("auth_service", n.auth_service);
    nw.Str("auth_data", n.auth_data);
    if (n.email_verified) nw.Raw("email_verified", *n.email_verified ? "true" : "false");
    if (!n.props.empty()) nw.Raw("props", MapJson(n.props));
    if (!n.notify_props.empty()) nw.Raw("notify_props", MapJson(n.notify_props));
    w.Raw("new_user", nw.Done());
  }
  if (a.type == ActionType::kUpdate) {
    const UserPatch& p = a.patch;  // password deliberately left out
    ObjectWriter pw;
    pw.Opt("username", p.username);
    pw.Opt("email", p.email);
    pw.Opt("first_name", p.first_name);
    pw.Opt("last_name", p.last_name);
    pw.Opt("nickname", p.nickname);
    pw.Opt("position", p.position);
    pw.Opt("locale", p.locale);
    if (p.props) pw.Raw("props", MapJson(*p.props));
    if (p.notify_props) pw.Raw("notify_props", MapJson(*p.notify_props));
    if (p.timezone) pw.Raw("timezone", MapJson(*p.timezone));
    w.Raw("patch", pw.Done());
  }
  w.Str("roles", a.roles);
  w.Str("auth_service", a.auth_service);
  w.Str("auth_data", a.auth_data);
  return w.Done();
}

std::map<std::string, std::string> ActionSetValues(const Action& a) {
  std::map<std::string, std::string> v;
  auto opt = [&v](const char* field, const std::optional<std::string>& value) {
    if (value) v[field] = *value;
  };
  switch (a.type) {
    case ActionType::kCreate: {
      const NewUser& n = a.new_user;
      v["username"] = Lower(n.username);
      v["email"] = Lower(n.email);
      v["first_name"] = n.first_name;
      v["last_name"] = n.last_name;
      v["nickname"] = n.nickname;
      v["position"] = n.position;
      if (!n.locale.empty()) v["locale"] = n.locale;
      v["auth_service"] = n.auth_service;
      if (!n.auth_data.empty()) v["auth_data"] = n.auth_data;
      if (n.email_verified.value_or(false)) v["email_verified"] = "true";
      v["active"] = "true";
      break;
    }
    case ActionType::kUpdate:
      opt("username", a.patch.username);
      opt("email", a.patch.email);
      opt("first_name", a.patch.first_name);
      opt("last_name", a.patch.last_name);
      opt("nickname", a.patch.nickname);
      opt("position", a.patch.position);
      opt("locale", a.patch.locale);
      break;
    case ActionType::kAuth:
      v["auth_service"] = a.auth_service;
      v["auth_data"] = a.auth_data;
      break;
    case ActionType::kRole: v["roles"] = a.roles; break;
    case ActionType::kGuest: v["roles"] = "system_guest"; break;
    case ActionType::kPromote: v["roles"] = "system_user"; break;
    case ActionType::kVerifyEmail: v["email_verified"] = "true"; break;
    case ActionType::kPasswordReset: v["password_reset_sent"] = "true"; break;
    case ActionType::kDeactivate: v["active"] = "false"; break;
    case ActionType::kReactivate: v["active"] = "true"; break;
  }
  return v;
}

std::vector<std::string> ActionDrift(const Action& a, const User& u) {
  std::vector<std::string> drift;
  auto check = [&](const char* field, const std::string& have, const std::string& want,
                   bool fold_case) {
    bool same = fold_case ? Lower(have) == Lower(want) : have == want;
    if (!same) {
      drift.push_back(u.username + ": " + field + " is \"" + have + "\" on the server, expected \"" +
                      want + "\"");
    }
  };
  auto opt = [&](const char* field, const std::string& have,
                 const std::optional<std::string>& want, bool fold_case) {
    if (want) check(field, have, *want, fold_case);
  };
  switch (a.type) {
    case ActionType::kCreate:
      check("username", u.username, a.new_user.username, true);
      check("email", u.email, a.new_user.email, true);
      break;
    case ActionType::kUpdate:
      opt("username", u.username, a.patch.username, true);
      opt("email", u.email, a.patch.email, true);
      opt("first_name", u.first_name, a.patch.first_name, false);
      opt("last_name", u.last_name, a.patch.last_name, false);
      opt("nickname", u.nickname, a.patch.nickname, false);
      opt("position", u.position, a.patch.position, false);
      opt("locale", u.locale, a.patch.locale, false);
      break;
    case ActionType::kAuth: check("auth_service", u.auth_service, a.auth_service, false); break;
    case ActionType::kRole:
      if (Words(u.roles) != Words(a.roles)) check("roles", u.roles, a.roles, false);
      break;
    case ActionType::kGuest:
      if (!u.HasRole("system_guest")) check("roles", u.roles, "system_guest", false);
      break;
    case ActionType::kPromote:
      if (u.HasRole("system_guest")) check("roles", u.roles, "system_user", false);
      break;
    case ActionType::kDeactivate:
      if (u.active()) check("active", "true", "false", false);
      break;
    case ActionType::kReactivate:
      if (!u.active()) check("active", "false", "true", false);
      break;
    case ActionType::kVerifyEmail:     // not readable in other users' profiles
    case ActionType::kPasswordReset:   // nothing to read back
      break;
  }
  return drift;
}

}  // namespace rostersync
