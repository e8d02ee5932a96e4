// ServerCapabilities: what a Mattermost server allows, as it tells any client with a valid
// token (GET /api/v4/config/client?format=old and GET /api/v4/license/client?format=old,
// docs/server-compatibility.md). Read at the start of every cycle; the planner plans within
// it and the executor checks its answers against it. A plain value; no Poco.
#ifndef ROSTERSYNC_SYNC_SERVER_CAPABILITIES_H_
#define ROSTERSYNC_SYNC_SERVER_CAPABILITIES_H_

#include <set>
#include <string>

#include "sync/user.h"

namespace rostersync {

struct PasswordPolicy {
  int min_length = 8;  // the server's PasswordMinimumLength (it accepts up to 72)
  bool lowercase = false;
  bool uppercase = false;
  bool number = false;
  bool symbol = false;
  bool operator==(const PasswordPolicy& o) const {
    return min_length == o.min_length && lowercase == o.lowercase && uppercase == o.uppercase &&
           number == o.number && symbol == o.symbol;
  }
};

struct ServerCapabilities {
  bool known = false;  // false: never read (tests, older callers); plan as before
  std::string version;  // the server's Version key, for display only
  bool licensed = false;                 // license: IsLicensed
  bool license_guest_accounts = false;   // license: GuestAccounts
  bool guest_accounts_enabled = false;   // config: EnableGuestAccounts (server default off)
  bool require_email_verification = false;  // config: RequireEmailVerification
  PasswordPolicy password;
  // Fields an identity provider sets, by auth service ("saml", "ldap"), in rostersync's
  // field names (first_name, last_name, nickname, position, username, email). A patch that
  // touches one of them fails whole with 409 on licensed servers.
  std::set<std::string> saml_owned;
  std::set<std::string> ldap_owned;

  // Demotion to guest works only with a license that has GuestAccounts and the setting on.
  bool GuestsAvailable() const {
    return !known || (licensed && license_guest_accounts && guest_accounts_enabled);
  }
  // Why guests are unavailable, for a held action's reason ("" when they are available).
  std::string GuestsUnavailableReason() const;
  // The provider-owned fields of a user of this auth service (empty for email users).
  const std::set<std::string>& OwnedFields(const std::string& auth_service) const;
  // One line for the plan header, `status` and /v1/status:
  // "server 10.2.0, licensed, guests off, email verification on, passwords >= 10 (A-Z 0-9 !),
  //  provider-owned: saml first_name last_name username".
  std::string Summary() const;
  bool operator==(const ServerCapabilities& o) const;
};

// Builds the value from the two flat string maps the server answers with (format=old).
// Absent keys take the server's defaults; `known` is set.
ServerCapabilities CapabilitiesFromMaps(const StringMap& client_config, const StringMap& license);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_SERVER_CAPABILITIES_H_
