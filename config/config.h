// Config: the whole YAML configuration of docs/contract.md as plain values, with docs/contract.md's
// defaults. Filled by config_loader.h; read-only afterwards (copy it to change it). No secrets
// inside: the token is read from token_file / token_env only when needed (ReadMattermostToken).
#ifndef ROSTERSYNC_CONFIG_CONFIG_H_
#define ROSTERSYNC_CONFIG_CONFIG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sync/membership_planner.h"
#include "sync/options.h"

namespace rostersync {

struct MattermostConfig {
  std::string url;  // required
  std::string token_file;
  std::string token_env;
  std::string ca_file;
  bool insecure_skip_verify = false;
  int64_t timeout_ms = 30'000;
  int concurrency = 8;
  double rate_per_second = 0;  // 0 = pace from the server's X-RateLimit-* headers only
  int rate_burst = 0;
  int retry_max_attempts = 5;
  int64_t retry_base_delay_ms = 200;
  int64_t retry_max_delay_ms = 30'000;
};

struct CsvConfig {
  std::string path = "/var/lib/rostersync/roster.csv";
  char delimiter = ',';
  bool header = true;
  std::string encoding = "utf-8";  // utf-8 | windows-1252 | iso-8859-1
  // A cycle reads the file only once its mtime is this old (a writer may still be at it);
  // it waits up to twice this long. 0 = no wait.
  int64_t settle_ms = 5'000;
};

// Bounds on what a roster read may hold; past one, a clear error (file) or a rejected row.
struct RosterLimits {
  int64_t max_file_bytes = int64_t{512} << 20;  // the whole CSV file
  int64_t max_row_bytes = int64_t{1} << 20;     // one record (all its cells)
  int64_t max_field_bytes = int64_t{64} << 10;  // one cell
  int64_t max_key_bytes = 256;                  // the key cell, trimmed
};

struct SqlConfig {
  std::string connector = "sqlite";  // sqlite | postgresql | mysql
  std::string connection;            // may hold a password: never logged
  std::string connection_env;        // or: the name of an env var holding it
  std::string connection_file;       // or: a file (credential) holding it
  std::string query;
  int64_t timeout_ms = 120'000;  // statement timeout where the connector has one
};

struct RosterConfig {
  std::string source = "csv";  // csv | sql
  CsvConfig csv;
  SqlConfig sql;
  RosterLimits limits;
  std::string key = "employee_id";
  int64_t min_rows = 1;
  // A file older than this is a stalled export: deactivations held. 0 = no staleness check.
  int64_t max_age_ms = int64_t{7} * 24 * 3600 * 1000;
};

// One Mattermost field <- roster column, template, constant or map (docs/contract.md `fields`).
struct FieldSpec {
  std::string column;                       // {column: email}
  std::string templ;                        // {template: "{first_name}.{last_name}"}
  std::optional<std::string> value;         // {value: en}
  std::map<std::string, std::string> map;   // {map: {admin: system_admin}}
  std::optional<std::string> default_value; // {default: system_user}
  std::vector<std::string> transform;       // trim, lower, ascii, mattermost_username
  std::vector<std::string> true_values;     // active: {true: [active, leave]}
  std::vector<std::string> false_values;    // active: {false: [terminated]}
  int line = 0;                             // where it was written, for messages
};

// membership.* and policy.membership / policy.max_membership_removals (issue 18). Off while
// both lists are empty.
struct MembershipConfig {
  std::vector<MembershipRule> teams;     // {team, when?}
  std::vector<MembershipRule> channels;  // {team, channel (template), when?}
  std::string policy = "add";            // add | sync | report
  Threshold max_removals;                // 5%
};

struct FieldsConfig {
  // Keys: username email first_name last_name nickname position locale auth_service
  // auth_data role active start_date end_date.
  std::map<std::string, FieldSpec> specs;
  std::vector<std::string> update{"first_name", "last_name", "nickname", "position", "email", "username"};
  // Roster columns carried into RosterEntry::attributes: those membership.* reads.
  std::vector<std::string> attribute_columns;
};

struct ScheduleConfig {
  int64_t interval_ms = 15 * 60'000;
  int64_t jitter_ms = 30'000;
  bool run_on_start = true;
  bool watch_roster = true;
  // Between full cycles (every account listed) the service runs incremental ones; 0: every
  // cycle is full (cycle/users_snapshot.h).
  int64_t full_every_ms = 24 * 3'600'000;
};

struct StateConfig {
  std::string database = "sqlite:/var/lib/rostersync/state.db";
};

struct AuditConfig {
  std::string file = "/var/log/rostersync/audit.jsonl";
};

struct AdminConfig {
  std::string listen = "127.0.0.1:9187";
  std::string token_file;
};

struct NotifyConfig {
  std::string webhook_url;  // a secret of sorts: never logged in full
};

// approvals: Approve/Reject buttons on held-plan posts (daemon/approval_*.h). Off while
// listen is "".
struct ApprovalsConfig {
  std::string listen;          // HOST:PORT of POST /v1/actions (the button route)
  std::string url;             // what the Mattermost server calls: https://host:port/v1/actions
  bool system_admins = true;   // approvers.system_admins
  std::vector<std::string> usernames;  // approvers.usernames
  int64_t valid_for_ms = 24 * 3600 * 1000;
  std::string hmac_key_file;   // the HMAC-SHA256 key that signs button contexts (secret)
  int second_approver_above = 0;  // more deactivations than this need two approvers; 0 = off
};

struct LoggingConfig {
  std::string level = "info";   // trace | debug | info | warn | error
  std::string format = "text";  // text | json
};

struct Config {
  std::string path;  // the file it was read from
  MattermostConfig mattermost;
  RosterConfig roster;
  FieldsConfig fields;
  MatchOptions match;
  ScopeOptions scope;
  // As the planner's defaults, except that a created email/password user gets a password
  // reset link by default (without it they cannot sign in).
  PolicyOptions policy = [] {
    PolicyOptions p;
    p.send_password_reset = true;
    return p;
  }();
  MembershipConfig membership;
  ScheduleConfig schedule;
  StateConfig state;
  AuditConfig audit;
  AdminConfig admin;
  NotifyConfig notify;
  ApprovalsConfig approvals;
  LoggingConfig logging;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_CONFIG_CONFIG_H_
