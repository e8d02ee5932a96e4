#include "sync/server_capabilities.h"

#include <cstdlib>

namespace rostersync {
namespace {

bool IsTrue(const StringMap& map, const std::string& key) {
  auto it = map.find(key);
  return it != map.end() && it->second == "true";
}

int IntOr(const StringMap& map, const std::string& key, int fallback) {
  auto it = map.find(key);
  if (it == map.end() || it->second.empty()) return fallback;
  char* end = nullptr;
  long v = std::strtol(it->second.c_str(), &end, 10);
  if (end == it->second.c_str() || *end != '\0' || v < 0 || v > 1000) return fallback;
  return static_cast<int>(v);
}

std::set<std::string> OwnedBy(const StringMap& config, const std::string& prefix) {
  std::set<std::string> owned;
  static const char* const kAttrs[][2] = {{"FirstName", "first_name"},
                                          {"LastName", "last_name"},
                                          {"Nickname", "nickname"},
                                          {"Position", "position"}};
  for (const auto& a : kAttrs) {
    if (IsTrue(config, prefix + a[0] + "AttributeSet")) owned.insert(a[1]);
  }
  return owned;
}

}  // namespace

ServerCapabilities CapabilitiesFromMaps(const StringMap& config, const StringMap& license) {
  ServerCapabilities c;
  c.known = true;
  auto version = config.find("Version");
  if (version != config.end()) c.version = version->second;
  c.licensed = IsTrue(license, "IsLicensed");
  c.license_guest_accounts = c.licensed && IsTrue(license, "GuestAccounts");
  c.guest_accounts_enabled = IsTrue(config, "EnableGuestAccounts");
  c.require_email_verification = IsTrue(config, "RequireEmailVerification");
  c.password.min_length = IntOr(config, "PasswordMinimumLength", 8);
  c.password.lowercase = IsTrue(config, "PasswordRequireLowercase");
  c.password.uppercase = IsTrue(config, "PasswordRequireUppercase");
  c.password.number = IsTrue(config, "PasswordRequireNumber");
  c.password.symbol = IsTrue(config, "PasswordRequireSymbol");
  if (c.licensed) {
    // CheckProviderAttributes: the attribute fields, plus the username for both and the
    // email for LDAP (docs/server-compatibility.md).
    c.saml_owned = OwnedBy(config, "Saml");
    c.saml_owned.insert("username");
    c.ldap_owned = OwnedBy(config, "Ldap");
    c.ldap_owned.insert("username");
    c.ldap_owned.insert("email");
  }
  return c;
}

std::string ServerCapabilities::GuestsUnavailableReason() const {
  if (GuestsAvailable()) return "";
  if (!licensed) return "guest accounts need a licensed server (this one is unlicensed)";
  if (!license_guest_accounts) return "the server's license does not include guest accounts";
  return "guest accounts are disabled on the server (EnableGuestAccounts=false)";
}

const std::set<std::string>& ServerCapabilities::OwnedFields(
    const std::string& auth_service) const {
  static const std::set<std::string> kNone;
  if (auth_service == "saml") return saml_owned;
  if (auth_service == "ldap") return ldap_owned;
  return kNone;
}

std::string ServerCapabilities::Summary() const {
  if (!known) return "server capabilities unknown";
  std::string out = "server " + (version.empty() ? std::string("(version unknown)") : version);
  out += licensed ? ", licensed" : ", unlicensed";
  out += GuestsAvailable() ? ", guests on" : ", guests off";
  out += require_email_verification ? ", email verification on" : ", email verification off";
  out += ", passwords >= " + std::to_string(password.min_length);
  std::string classes;
  if (password.lowercase) classes += " a-z";
  if (password.uppercase) classes += " A-Z";
  if (password.number) classes += " 0-9";
  if (password.symbol) classes += " symbol";
  if (!classes.empty()) out += " (" + classes.substr(1) + ")";
  std::string owned;
  for (const auto* set : {&saml_owned, &ldap_owned}) {
    if (set->empty()) continue;
    owned += set == &saml_owned ? " saml:" : " ldap:";
    for (const std::string& f : *set) owned += " " + f;
  }
  out += owned.empty() ? ", provider-owned: none" : ", provider-owned:" + owned;
  return out;
}

bool ServerCapabilities::operator==(const ServerCapabilities& o) const {
  return known == o.known && version == o.version && licensed == o.licensed &&
         license_guest_accounts == o.license_guest_accounts &&
         guest_accounts_enabled == o.guest_accounts_enabled &&
         require_email_verification == o.require_email_verification && password == o.password &&
         saml_owned == o.saml_owned && ldap_owned == o.ldap_owned;
}

}  // namespace rostersync
