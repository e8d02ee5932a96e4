// Planner options: the scope, match and policy sections of the config as plain values.
// Defaults are docs/contract.md's; config/ fills these from YAML.
#ifndef ROSTERSYNC_SYNC_OPTIONS_H_
#define ROSTERSYNC_SYNC_OPTIONS_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace rostersync {

enum class DeactivateMode { kOn, kOff, kReport };
// policy.unmatched_accounts: what to do with in-scope accounts that match no roster row and
// no ledger entry (accounts from before rostersync).
enum class UnmatchedMode { kLeave, kReport, kDeactivate };

// "5%" (percent of managed users) or "10" (a count).
struct Threshold {
  bool percent = true;
  double value = 5;
  bool operator==(const Threshold& o) const { return percent == o.percent && value == o.value; }
};

struct PolicyOptions {
  bool create = true;
  bool update = true;
  DeactivateMode deactivate = DeactivateMode::kOn;
  bool reactivate = true;
  bool roles = true;
  bool guests = true;
  bool auth_migration = true;
  int deactivate_after_cycles = 0;    // grace in cycles ("3")
  int64_t deactivate_after_ms = 0;    // or as a duration ("3d")
  Threshold max_deactivations;
  bool verify_email = true;
  bool send_password_reset = false;
  UnmatchedMode unmatched_accounts = UnmatchedMode::kReport;
  // Also revoke a leaver's personal access tokens when deactivating (reads the token list,
  // one revoke per active token). Off by default: the server refuses a deactivated user's
  // tokens anyway, and revoked tokens stay dead after a (wrongful) deactivation is undone.
  bool revoke_tokens_on_deactivate = false;
};

struct ScopeOptions {
  std::vector<std::string> auth_services{"", "saml", "ldap"};
  std::vector<std::string> protected_users{"admin"};
  bool manage_system_admins = false;
  bool adopt_existing = true;
};

struct MatchOptions {
  std::vector<std::string> order{"email", "username"};
};

struct PlannerOptions {
  PolicyOptions policy;
  ScopeOptions scope;
  MatchOptions match;
  // Fields kept in sync after creation (fields.update).
  std::set<std::string> update_fields{"first_name", "last_name", "nickname", "position", "email", "username"};
  // Fields the roster maps at all (fields.*); an unmapped field is never compared.
  std::set<std::string> mapped_fields;
  bool force = false;  // --force: release held actions
};

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_OPTIONS_H_
