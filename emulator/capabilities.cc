// GET /api/v4/config/client?format=old and GET /api/v4/license/client?format=old: what
// the server tells any client with a valid token about its settings and license. Both are
// flat string maps, built from the emulator's current ServerModes.
#include <map>
#include <string>

#include "emulator/json_writer.h"
#include "emulator/users_routes.h"

namespace mmemu {

namespace {

const char* Bool(bool b) { return b ? "true" : "false"; }

// Answers the error the server gives when format is missing (`missing_status`, with
// `missing_id`) or not "old" (400 invalid param). True when the format is "old".
bool CheckOldFormat(const ApiRequest& req, ApiResponse* resp, int missing_status,
                    const std::string& missing_id) {
  auto it = req.query.find("format");
  if (it == req.query.end() || it->second.empty()) {
    SetAppError(req, resp, missing_status, missing_id,
                "New format for the client configuration is not supported yet. Please specify "
                "format=old.");
    return false;
  }
  if (it->second != "old") {
    SetInvalidParam(req, resp, "format");
    return false;
  }
  return true;
}

void AddAttributeKeys(const std::string& prefix, const std::set<std::string>& owned,
                      std::map<std::string, std::string>* out) {
  static const char* const kAttrs[][2] = {{"FirstName", "first_name"},
                                          {"LastName", "last_name"},
                                          {"Nickname", "nickname"},
                                          {"Position", "position"}};
  for (const auto& a : kAttrs) {
    (*out)[prefix + a[0] + "AttributeSet"] = Bool(owned.count(a[1]) > 0);
  }
}

}  // namespace

void UsersRoutes::GetClientConfig(const ApiRequest& req, const Caller&, ApiResponse* resp) {
  if (!CheckOldFormat(req, resp, 501, "api.config.client.old_format.app_error")) return;
  const ServerModes m = modes_->Get();
  std::map<std::string, std::string> config = {
      {"Version", "9.1.0"},
      {"BuildNumber", "emulator"},
      {"SiteName", "mm-emulator"},
      {"DefaultClientLocale", "en"},
      {"AvailableLocales", ""},
      {"EnableSignUpWithEmail", "true"},
      {"RequireEmailVerification", Bool(m.require_email_verification)},
      {"EnableGuestAccounts", Bool(m.guest_accounts_enabled)},
      {"PasswordMinimumLength", std::to_string(m.password_min_length)},
      {"PasswordRequireLowercase", Bool(m.password_lowercase)},
      {"PasswordRequireUppercase", Bool(m.password_uppercase)},
      {"PasswordRequireNumber", Bool(m.password_number)},
      {"PasswordRequireSymbol", Bool(m.password_symbol)},
  };
  if (m.licensed) {  // the attribute keys are sent only with a license (SAML/LDAP features)
    AddAttributeKeys("Saml", m.saml_owned, &config);
    AddAttributeKeys("Ldap", m.ldap_owned, &config);
  }
  JsonWriter w;
  resp->body = w.StringMap(config).Take();
}

void UsersRoutes::GetClientLicense(const ApiRequest& req, const Caller&, ApiResponse* resp) {
  if (!CheckOldFormat(req, resp, 400, "api.license.client.old_format.app_error")) return;
  const ServerModes m = modes_->Get();
  if (!m.licensed) {
    resp->body = "{\"IsLicensed\":\"false\"}";  // exactly this on an unlicensed server
    return;
  }
  std::map<std::string, std::string> license = {
      {"IsLicensed", "true"},
      {"Id", "emulatorlicense00000000000"},
      {"SkuShortName", "enterprise"},
      {"Users", "10000"},
      {"LDAP", "true"},
      {"LDAPGroups", "true"},
      {"SAML", "true"},
      {"MFA", "true"},
      {"CustomPermissionsSchemes", "true"},
      {"GuestAccounts", Bool(m.license_guest_accounts)},
      {"GuestAccountsPermissions", Bool(m.license_guest_accounts)},
  };
  JsonWriter w;
  resp->body = w.StringMap(license).Take();
}

}  // namespace mmemu
