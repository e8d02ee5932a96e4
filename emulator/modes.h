// ServerModes: the restrictive settings of a real Mattermost server that mm-emulator can
// model (license, guest accounts, email verification, password policy, provider-owned
// fields, user limit, listing skew, replica lag, per-IP rate limiting, name and locale
// cleaning, MaxUsersPerTeam). Each has a flag (main.cc) and a key of PUT /__emu/faults. The defaults are the
// emulator's historical, forgiving behaviour. Modes is the thread-safe holder.
#ifndef ROSTERSYNC_TESTS_EMULATOR_MODES_H_
#define ROSTERSYNC_TESTS_EMULATOR_MODES_H_

#include <mutex>
#include <set>
#include <string>

namespace mmemu {

struct ServerModes {
  bool licensed = false;                // IsLicensed (LDAP, SAML, GuestAccounts features)
  bool license_guest_accounts = true;   // the license's GuestAccounts feature
  bool guest_accounts_enabled = true;   // GuestAccountsSettings.Enable (server default: off)
  bool allow_permanent_delete = false;  // ServiceSettings.EnableAPIUserDeletion
  bool require_email_verification = false;
  int password_min_length = 8;          // PasswordSettings.MinimumLength (at most 72)
  bool password_lowercase = false;
  bool password_uppercase = false;
  bool password_number = false;
  bool password_symbol = false;
  // Fields the identity provider sets: first_name, last_name, nickname, position.
  std::set<std::string> saml_owned;
  std::set<std::string> ldap_owned;
  int user_limit = 0;             // active users allowed; 0 = no limit
  bool listing_skew = false;      // a rename between page reads of GET /users
  int replica_lag_ms = 0;         // reads this soon after a write see the state before it
  bool rate_limit_per_ip = false;  // one bucket per client address, shared by all tokens
  bool sanitize_unicode = false;  // SanitizeUnicode on username and names
  bool replace_unsupported_locale = false;  // create: unsupported locale -> "en"
  int max_users_per_team = 50;    // TeamSettings.MaxUsersPerTeam (server default 50)
};

// The values --realistic turns on at once.
ServerModes RealisticModes();

class Modes {
 public:
  explicit Modes(ServerModes initial = {}) : modes_(std::move(initial)) {}
  ServerModes Get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return modes_;
  }
  int ReplicaLagMs() const {
    std::lock_guard<std::mutex> lock(mu_);
    return modes_.replica_lag_ms;
  }
  bool ListingSkew() const {
    std::lock_guard<std::mutex> lock(mu_);
    return modes_.listing_skew;
  }
  bool RateLimitPerIp() const {
    std::lock_guard<std::mutex> lock(mu_);
    return modes_.rate_limit_per_ip;
  }
  void Set(const ServerModes& modes) {
    std::lock_guard<std::mutex> lock(mu_);
    modes_ = modes;
  }

 private:
  mutable std::mutex mu_;
  ServerModes modes_;
};

// The members of ServerModes as JSON object members (no braces), for GET /__emu/faults.
std::string ModesJsonMembers(const ServerModes& modes);
// Applies the ServerModes keys present in `json` over *modes; other keys are ignored.
// False (with *error) on a wrongly typed or out-of-range value.
bool ParseModes(const std::string& json, ServerModes* modes, std::string* error);
// "first_name,last_name" -> set; false on an unknown field name.
bool ParseOwnedFields(const std::string& csv, std::set<std::string>* out, std::string* error);
// "lower,upper,number,symbol" (any subset) -> the four flags; false on an unknown class.
bool ParsePasswordClasses(const std::string& csv, ServerModes* modes, std::string* error);

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_MODES_H_
