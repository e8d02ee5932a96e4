// The emulator's user record and its JSON views, mirroring model.User of Mattermost
// (json tags, omitempty, Sanitize/SanitizeProfile). Plain value type; not thread-safe
// on its own (UserStore guards every instance).
#ifndef ROSTERSYNC_TESTS_EMULATOR_USER_H_
#define ROSTERSYNC_TESTS_EMULATOR_USER_H_

#include <cstdint>
#include <map>
#include <string>

#include "emulator/modes.h"

namespace mmemu {

using StringMap = std::map<std::string, std::string>;

struct EmuUser {
  std::string id;
  int64_t create_at = 0;
  int64_t update_at = 0;
  int64_t delete_at = 0;
  std::string username;
  std::string password;  // stored as given; never serialized
  std::string auth_data;
  std::string auth_service;
  std::string email;
  // A new email waiting for the person to click the verification link
  // (RequireEmailVerification); shown only in /__emu/state.
  std::string pending_email;
  bool email_verified = false;
  std::string nickname;
  std::string first_name;
  std::string last_name;
  std::string position;
  std::string roles = "system_user";
  std::string locale = "en";
  StringMap props;
  StringMap notify_props;
  StringMap timezone;
  int64_t last_password_update = 0;
  int64_t last_picture_update = 0;
  int failed_attempts = 0;
  bool mfa_active = false;
  bool is_bot = false;
  std::string bot_description;
  int64_t last_activity_at = 0;
  std::string remote_id;  // set for users of a shared-channel remote cluster

  // Admin-view list serialization, refreshed by UserStore whenever the user changes.
  std::string profile_json;

  bool IsActive() const { return delete_at == 0; }
  bool IsSystemAdmin() const;
  bool IsGuest() const;
  bool HasRole(const std::string& role) const;
  bool IsOAuth() const;  // gitlab, google, office365, openid
  bool IsLdap() const { return auth_service == "ldap"; }
};

// Which of the server's serializations to produce.
enum class UserView {
  kSanitized,     // user.Sanitize({}): own profile and write responses (auth_data "")
  kProfileAdmin,  // SanitizeProfile for an admin viewer: lists and other users
  kProfile,       // SanitizeProfile for a non-admin viewer (auth_service hidden)
  kState,         // everything except the password, for /__emu/state
};

std::string UserToJson(const EmuUser& user, UserView view);

// Defaults a new user gets from PreSave (notify props, timezone).
StringMap DefaultNotifyProps(const std::string& username);
StringMap DefaultTimezone();

// Returns "" when the user passes model.User.IsValid, else the server's error id
// (e.g. "model.user.is_valid.username.app_error").
std::string ValidateUser(const EmuUser& user);
// IsPasswordValidWithSettings of 9.x/10.x servers for email users: "" when valid, else
// model.user.is_valid.pwd_min_length / pwd_max_length, or pwd followed by the missing
// classes (_lowercase_uppercase_number_symbol), then .app_error.
std::string ValidatePassword(const std::string& password, const ServerModes& modes);
// model.SanitizeUnicode: drops the bidi, tag and other blocklisted code points.
std::string SanitizeUnicode(const std::string& s);
// Whether `locale` is one the server ships a translation for (see names.cc).
bool IsSupportedLocale(const std::string& locale);
bool IsValidUsername(const std::string& username);
bool IsValidEmail(const std::string& email);
bool IsValidRoleName(const std::string& role);
std::string ToLower(std::string s);
// Number of UTF-8 code points in s.
size_t RuneCount(const std::string& s);

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_USER_H_
