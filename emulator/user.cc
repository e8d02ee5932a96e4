#include "emulator/user.h"

#include <sstream>

#include "emulator/json_writer.h"

namespace mmemu {

bool EmuUser::HasRole(const std::string& role) const {
  std::istringstream in(roles);
  std::string r;
  while (in >> r) {
    if (r == role) return true;
  }
  return false;
}

bool EmuUser::IsSystemAdmin() const { return HasRole("system_admin"); }
bool EmuUser::IsGuest() const { return HasRole("system_guest"); }

bool EmuUser::IsOAuth() const {
  return auth_service == "gitlab" || auth_service == "google" || auth_service == "office365" ||
         auth_service == "openid";
}

StringMap DefaultNotifyProps(const std::string& username) {
  return {{"channel", "true"},       {"comments", "never"}, {"desktop", "mention"},
          {"desktop_sound", "true"}, {"email", "true"},     {"first_name", "false"},
          {"mention_keys", ""},      {"push", "mention"},   {"push_status", "away"}};
}

StringMap DefaultTimezone() {
  return {{"automaticTimezone", ""}, {"manualTimezone", ""}, {"useAutomaticTimezone", "true"}};
}

std::string UserToJson(const EmuUser& u, UserView view) {
  const bool profile = view == UserView::kProfileAdmin || view == UserView::kProfile;
  JsonWriter w;
  w.BeginObject();
  w.Field("id", u.id);
  if (u.create_at) w.Field("create_at", u.create_at);
  if (u.update_at) w.Field("update_at", u.update_at);
  if (u.delete_at) w.Field("delete_at", u.delete_at);
  w.Field("username", u.username);
  w.Field("auth_data", view == UserView::kState ? u.auth_data : std::string());
  w.Field("auth_service", view == UserView::kProfile ? std::string() : u.auth_service);
  w.Field("email", u.email);
  if (!profile && u.email_verified) w.Field("email_verified", true);
  w.Field("nickname", u.nickname);
  w.Field("first_name", u.first_name);
  w.Field("last_name", u.last_name);
  w.Field("position", u.position);
  w.Field("roles", u.roles);
  if (!u.props.empty()) w.Key("props").StringMap(u.props);
  if (!profile && !u.notify_props.empty()) w.Key("notify_props").StringMap(u.notify_props);
  if (!profile && u.last_password_update) w.Field("last_password_update", u.last_password_update);
  if (u.last_picture_update) w.Field("last_picture_update", u.last_picture_update);
  if (!profile && u.failed_attempts) w.Field("failed_attempts", u.failed_attempts);
  w.Field("locale", u.locale);
  w.Key("timezone").StringMap(u.timezone);
  if (u.mfa_active) w.Field("mfa_active", true);
  if (u.last_activity_at) w.Field("last_activity_at", u.last_activity_at);
  if (u.is_bot) w.Field("is_bot", true);
  if (!u.bot_description.empty()) w.Field("bot_description", u.bot_description);
  w.Field("disable_welcome_email", false);
  if (!u.remote_id.empty()) w.Field("remote_id", u.remote_id);
  if (view == UserView::kState) {
    w.Field("has_password", !u.password.empty());
    w.Field("pending_email", u.pending_email);
  }
  w.EndObject();
  return w.Take();
}

std::string ToLower(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

size_t RuneCount(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool IsValidUsername(const std::string& username) {
  if (username.empty() || username.size() > 64) return false;
  for (char c : username) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return username != "all" && username != "channel" && username != "matterbot" &&
         username != "system";
}

bool IsValidEmail(const std::string& email) {
  // Go's mail.ParseAddress on a bare address, plus "already lower-case" and one '@'.
  if (email.empty() || email.size() > 128 || ToLower(email) != email) return false;
  auto at = email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= email.size()) return false;
  if (email.find('@', at + 1) != std::string::npos) return false;
  for (unsigned char c : email) {
    if (c <= ' ' || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' ||
        c == ':' || c == '"' || c == '[' || c == ']' || c == '\\' || c == 0x7f) {
      return false;
    }
  }
  std::string local = email.substr(0, at);
  std::string domain = email.substr(at + 1);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos) {
    return false;
  }
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string::npos) {
    return false;
  }
  return true;
}

bool IsValidRoleName(const std::string& role) {
  if (role.empty() || role.size() > 64) return false;
  for (char c : role) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string ValidatePassword(const std::string& password, const ServerModes& modes) {
  const std::string prefix = "model.user.is_valid.pwd";
  if (password.size() < static_cast<size_t>(modes.password_min_length)) {
    return prefix + "_min_length.app_error";
  }
  if (password.size() > 72) return prefix + "_max_length.app_error";
  static const std::string kSymbols = " !\"\\#$%&'()*+,-./:;<=>?@[]^_`|~";  // model.SYMBOLS
  auto has = [&](const std::string& set) {
    return password.find_first_of(set) != std::string::npos;
  };
  std::string missing;
  if (modes.password_lowercase && !has("abcdefghijklmnopqrstuvwxyz")) missing += "_lowercase";
  if (modes.password_uppercase && !has("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) missing += "_uppercase";
  if (modes.password_number && !has("0123456789")) missing += "_number";
  if (modes.password_symbol && !has(kSymbols)) missing += "_symbol";
  return missing.empty() ? "" : prefix + missing + ".app_error";
}

std::string ValidateUser(const EmuUser& u) {
  if (u.id.size() != 26) return "model.user.is_valid.id.app_error";
  if (u.create_at == 0) return "model.user.is_valid.create_at.app_error";
  if (u.update_at == 0) return "model.user.is_valid.update_at.app_error";
  if (!u.is_bot || !u.username.empty()) {
    if (!IsValidUsername(u.username)) return "model.user.is_valid.username.app_error";
  }
  if (!IsValidEmail(u.email)) return "model.user.is_valid.email.app_error";
  if (RuneCount(u.nickname) > 64) return "model.user.is_valid.nickname.app_error";
  if (RuneCount(u.position) > 128) return "model.user.is_valid.position.app_error";
  if (RuneCount(u.first_name) > 64) return "model.user.is_valid.first_name.app_error";
  if (RuneCount(u.last_name) > 64) return "model.user.is_valid.last_name.app_error";
  if (u.auth_data.size() > 128) return "model.user.is_valid.auth_data.app_error";
  if (!u.auth_data.empty() && u.auth_service.empty()) {
    return "model.user.is_valid.auth_data_type.app_error";
  }
  if (!u.password.empty() && !u.auth_data.empty()) {
    return "model.user.is_valid.auth_data_pwd.app_error";
  }
  if (u.password.size() > 72) return "model.user.is_valid.password_limit.app_error";
  if (u.locale.size() > 5) return "model.user.is_valid.locale.app_error";
  if (u.roles.size() > 256) return "model.user.is_valid.roles_limit.app_error";
  size_t tz = 2;
  for (const auto& [k, v] : u.timezone) tz += RuneCount(k) + RuneCount(v) + 6;
  if (tz > 256) return "model.user.is_valid.timezone.app_error";
  return "";
}

}  // namespace mmemu
