// The schema table. Order and defaults follow docs/contract.md; meanings say what follows from a
// value.
#include "config/config_schema.h"

namespace rostersync {
namespace {

#define RS_AT(member) +[](Config& c) { return &c.member; }

using K = KeyKind;

std::vector<KeySpec> BuildSchema() {
  std::vector<KeySpec> s = {
      // mattermost
      {"mattermost.url",
       K::kString,
       "(required)",
       "Server base URL, e.g. https://chat.example.com; http:// other than loopback sends the "
       "token in clear",
       RS_AT(mattermost.url),
       {},
       true},
      {"mattermost.token_file", K::kString, "\"\"",
       "File holding the access token (e.g. a systemd credential); set this or token_env, never "
       "the token inline",
       RS_AT(mattermost.token_file)},
      {"mattermost.token_env", K::kString, "\"\"",
       "Name of an environment variable holding the token; used when token_file is empty",
       RS_AT(mattermost.token_env)},
      {"mattermost.ca_file", K::kString, "\"\"",
       "Extra CA bundle for the server's certificate; the system CAs are always trusted too",
       RS_AT(mattermost.ca_file)},
      {"mattermost.insecure_skip_verify", K::kBool, "false",
       "true turns off TLS verification (a warning at every cycle); anyone on the path can read "
       "the token",
       RS_AT(mattermost.insecure_skip_verify)},
      {"mattermost.timeout", K::kDuration, "30s",
       "Per-request timeout; a request that takes longer fails as transient and is retried",
       RS_AT(mattermost.timeout_ms)},
      {"mattermost.concurrency",
       K::kInt,
       "8",
       "Requests in flight at once",
       RS_AT(mattermost.concurrency),
       {},
       false,
       false,
       1},
      {"mattermost.rate_limit.per_second", K::kDouble, "0",
       "Client-side request rate cap; 0 paces from the server's X-RateLimit-* headers only",
       RS_AT(mattermost.rate_per_second)},
      {"mattermost.rate_limit.burst", K::kInt, "0", "Requests allowed above per_second in a burst",
       RS_AT(mattermost.rate_burst)},
      {"mattermost.retries.max_attempts",
       K::kInt,
       "5",
       "Attempts per idempotent request on 429/5xx/timeouts before the action fails",
       RS_AT(mattermost.retry_max_attempts),
       {},
       false,
       false,
       1},
      {"mattermost.retries.base_delay", K::kDuration, "200ms",
       "First retry backoff; doubles each attempt, with jitter",
       RS_AT(mattermost.retry_base_delay_ms)},
      {"mattermost.retries.max_delay", K::kDuration, "30s",
       "Longest backoff between retries (Retry-After from the server wins)",
       RS_AT(mattermost.retry_max_delay_ms)},
      // roster
      {"roster.source",
       K::kEnum,
       "csv",
       "Where the roster comes from: csv | sql",
       RS_AT(roster.source),
       {"csv", "sql"}},
      {"roster.csv.path", K::kString, "/var/lib/rostersync/roster.csv",
       "The HR export; unreadable -> the cycle fails and nothing is deactivated",
       RS_AT(roster.csv.path)},
      {"roster.csv.delimiter", K::kChar, "\",\"", "One character separating columns",
       RS_AT(roster.csv.delimiter)},
      {"roster.csv.header", K::kBool, "true",
       "true: the first row names the columns; false: columns are named by position",
       RS_AT(roster.csv.header)},
      {"roster.csv.encoding",
       K::kEnum,
       "utf-8",
       "Character set of the file: utf-8 | windows-1252 | iso-8859-1; a file that is not valid "
       "in it is refused whole",
       RS_AT(roster.csv.encoding),
       {"utf-8", "windows-1252", "iso-8859-1"}},
      {"roster.csv.settle", K::kDuration, "5s",
       "A cycle reads the file only once it is this long unmodified, waiting up to twice as "
       "long (a half-written export is never read); 0 turns the wait off",
       RS_AT(roster.csv.settle_ms)},
      {"roster.sql.connector",
       K::kEnum,
       "sqlite",
       "Database driver: sqlite | postgresql | mysql",
       RS_AT(roster.sql.connector),
       {"sqlite", "postgresql", "mysql"}},
      {"roster.sql.connection",
       K::kString,
       "\"\"",
       "Connection string (may hold a password: never logged); prefer connection_file",
       RS_AT(roster.sql.connection),
       {},
       false,
       true},
      {"roster.sql.connection_env", K::kString, "\"\"",
       "Or: name of an environment variable holding the connection string",
       RS_AT(roster.sql.connection_env)},
      {"roster.sql.connection_file", K::kString, "\"\"",
       "Or: a file (e.g. a systemd credential) holding the connection string",
       RS_AT(roster.sql.connection_file)},
      {"roster.sql.query", K::kString, "\"\"",
       "SELECT returning one row per person, columns by name", RS_AT(roster.sql.query)},
      {"roster.sql.timeout", K::kDuration, "2m",
       "Longest the roster query may run (statement timeout); past it the cycle fails, nothing "
       "is applied",
       RS_AT(roster.sql.timeout_ms)},
      {"roster.key",
       K::kString,
       "(required)",
       "The column that names a person for life (e.g. employee_id); changing it re-identifies "
       "everyone",
       RS_AT(roster.key),
       {},
       true},
      {"roster.min_rows", K::kInt, "1",
       "Fewer rows -> the roster is rejected and nothing is deactivated", RS_AT(roster.min_rows)},
      {"roster.max_age", K::kDuration, "7d",
       "A roster file older than this is a stalled export -> no deactivations; 0 turns the "
       "check off",
       RS_AT(roster.max_age_ms)},
      {"roster.limits.max_file_bytes", K::kInt, "536870912",
       "A larger roster file is refused whole (nothing applied)",
       RS_AT(roster.limits.max_file_bytes), {}, false, false, 1},
      {"roster.limits.max_row_bytes", K::kInt, "1048576",
       "A longer row is rejected (its person is protected)", RS_AT(roster.limits.max_row_bytes),
       {}, false, false, 1},
      {"roster.limits.max_field_bytes", K::kInt, "65536", "A longer cell rejects its row",
       RS_AT(roster.limits.max_field_bytes), {}, false, false, 1},
      {"roster.limits.max_key_bytes", K::kInt, "256", "A longer key rejects its row",
       RS_AT(roster.limits.max_key_bytes), {}, false, false, 1},
  };
  // fields: one spec per Mattermost field; ~ (null) = unmapped, never compared.
  struct FieldRow {
    const char* path;
    const char* default_text;
    const char* meaning;
  };
  const FieldRow fields[] = {
      {"fields.username", "{column: username}",
       "Required for creating accounts; e.g. {template: \"{first_name}.{last_name}\", transform: "
       "[ascii, lower, mattermost_username]}"},
      {"fields.email", "{column: email}",
       "Required for creating accounts; e.g. {column: email, transform: [trim, lower]}"},
      {"fields.first_name", "{column: first_name}", "First name"},
      {"fields.last_name", "{column: last_name}", "Last name"},
      {"fields.nickname", "~", "e.g. {column: preferred_name}; ~ = unmapped, never compared"},
      {"fields.position", "~", "e.g. {column: title}"},
      {"fields.locale", "~", "e.g. {value: en}"},
      {"fields.auth_service", "~",
       "\"\" (email/password), ldap, saml, gitlab, google, office365, openid; a change migrates "
       "the account"},
      {"fields.auth_data", "~",
       "SSO identity, e.g. {column: upn}; needs auth_service; write-only in the API, compared with "
       "what rostersync last set"},
      {"fields.role", "~",
       "e.g. {column: kind, map: {admin: system_admin, contractor: guest}, default: system_user}"},
      {"fields.active", "~",
       "e.g. {column: status, true: [active, leave], false: [terminated]}; ~ = every roster row is "
       "active"},
      {"fields.start_date", "~", "Effective dating: not provisioned before this date (YYYY-MM-DD)"},
      {"fields.end_date", "~", "Deactivated from this date on (YYYY-MM-DD)"},
  };
  for (const FieldRow& f : fields) {
    s.push_back({f.path, K::kField, f.default_text, f.meaning, RS_AT(fields)});
  }
  std::vector<KeySpec> rest = {
      {"fields.update", K::kStringList,
       "[first_name, last_name, nickname, position, email, username]",
       "Fields kept in sync after creation; others are set once at creation", RS_AT(fields.update)},
      // match / scope
      {"match.order",
       K::kStringList,
       "[email, username]",
       "How a roster row adopts an existing account the ledger does not know yet (auth_data "
       "cannot: the API never returns it)",
       RS_AT(match.order),
       {"email", "username"}},
      {"scope.auth_services", K::kStringList, "[\"\", saml, ldap]",
       "Existing accounts of other auth services are never touched", RS_AT(scope.auth_services)},
      {"scope.protected_users", K::kStringList, "[admin]",
       "Usernames never touched; bots and the token's own user are always protected",
       RS_AT(scope.protected_users)},
      {"scope.manage_system_admins", K::kBool, "false",
       "false: never change an account that holds system_admin", RS_AT(scope.manage_system_admins)},
      {"scope.adopt_existing", K::kBool, "true",
       "Take over management of matching pre-existing accounts; false: they are left alone",
       RS_AT(scope.adopt_existing)},
      // policy
      {"policy.create", K::kBool, "true", "Create accounts for new roster rows",
       RS_AT(policy.create)},
      {"policy.update", K::kBool, "true", "Patch fields listed in fields.update",
       RS_AT(policy.update)},
      {"policy.deactivate", K::kDeactivate, "true",
       "true | false | report (planned and shown, never applied)", RS_AT(policy.deactivate)},
      {"policy.reactivate", K::kBool, "true", "Reactivate returning people's accounts",
       RS_AT(policy.reactivate)},
      {"policy.roles", K::kBool, "true", "Set system roles from fields.role", RS_AT(policy.roles)},
      {"policy.guests", K::kBool, "true", "Demote/promote guests from fields.role",
       RS_AT(policy.guests)},
      {"policy.auth_migration", K::kBool, "true",
       "Move accounts to the auth_service the roster says", RS_AT(policy.auth_migration)},
      {"policy.deactivate_after", K::kGrace, "0",
       "Grace: a person must be absent for this many cycles (or a duration like 3d) first",
       RS_AT(policy)},
      {"policy.max_deactivations", K::kThreshold, "5%",
       "A count or a percentage of managed users; above it, deactivations are held (exit 4)",
       RS_AT(policy.max_deactivations)},
      {"policy.unmatched_accounts",
       K::kEnum,
       "report",
       "In-scope accounts in no roster row and no ledger entry: leave | report (listed in the "
       "plan) | deactivate (counted by max_deactivations)",
       RS_AT(policy.unmatched_accounts),
       {"leave", "report", "deactivate"}},
      {"policy.revoke_tokens_on_deactivate", K::kBool, "false",
       "Also revoke a leaver's personal access tokens (false: a deactivated user's tokens are "
       "refused anyway, and they work again if a wrongful deactivation is undone)",
       RS_AT(policy.revoke_tokens_on_deactivate)},
      {"policy.onboarding.verify_email", K::kBool, "true",
       "Mark created accounts' email as verified", RS_AT(policy.verify_email)},
      {"policy.onboarding.send_password_reset", K::kBool, "true",
       "Email new email/password users a reset link (without one they cannot sign in); SSO "
       "users never get one",
       RS_AT(policy.send_password_reset)},
      {"policy.membership",
       K::kEnum,
       "add",
       "Team/channel memberships from membership.*: add (only add) | sync (also remove those "
       "rostersync added that the roster no longer gives) | report (shown, never applied)",
       RS_AT(membership.policy),
       {"add", "sync", "report"}},
      {"policy.max_membership_removals", K::kThreshold, "5%",
       "A count or a percentage of the memberships rostersync added; above it, removals are held "
       "(exit 4)",
       RS_AT(membership.max_removals)},
      // membership (issue 18): off while both lists are empty
      {"membership.teams", K::kMembership, "[]",
       "Teams every active person joins: [{team: NAME, when: {column: C, equals: V}}]; `when` "
       "optional (without equals: the column is not empty)",
       RS_AT(membership)},
      {"membership.channels", K::kMembership, "[]",
       "Channels: [{team: NAME, channel: \"office-{location}\", when: {column: C}}]; the name is "
       "lower-cased, spaces become -, an empty column skips it; implies the team",
       RS_AT(membership)},
      // schedule
      {"schedule.interval", K::kDuration, "15m", "Time between cycles in `run`",
       RS_AT(schedule.interval_ms)},
      {"schedule.jitter", K::kDuration, "30s", "Random delay added to each interval",
       RS_AT(schedule.jitter_ms)},
      {"schedule.run_on_start", K::kBool, "true", "Run a cycle as soon as `run` starts",
       RS_AT(schedule.run_on_start)},
      {"schedule.watch_roster", K::kBool, "true",
       "A changed roster file starts a cycle (debounced)", RS_AT(schedule.watch_roster)},
      {"schedule.full_every", K::kDuration, "24h",
       "`run` lists every account this often (and on start, after a reload, after a failed or "
       "held cycle); cycles in between read only what changed; 0 = every cycle is full",
       RS_AT(schedule.full_every_ms)},
      // state, audit, admin, notify, logging
      {"state.database",
       K::kString,
       "sqlite:/var/lib/rostersync/state.db",
       "sqlite:PATH or postgresql:CONNINFO; holds the identity ledger: losing it loses identities",
       RS_AT(state.database),
       {},
       false,
       true},
      {"audit.file", K::kString, "/var/log/rostersync/audit.jsonl",
       "Audit trail, one JSON object per applied or failed action", RS_AT(audit.file)},
      {"admin.listen", K::kString, "127.0.0.1:9187",
       "HOST:PORT of /healthz, /metrics, /v1/*; beyond loopback needs admin.token_file",
       RS_AT(admin.listen)},
      {"admin.token_file", K::kString, "\"\"",
       "File holding the bearer token POST routes require; required when listening beyond loopback",
       RS_AT(admin.token_file)},
      {"notify.webhook_url",
       K::kString,
       "\"\"",
       "Mattermost incoming webhook for run summaries, held plans and failures; \"\" = off",
       RS_AT(notify.webhook_url),
       {},
       false,
       true},
      {"approvals.listen", K::kString, "\"\"",
       "HOST:PORT of the Approve/Reject button route POST /v1/actions; \"\" = off (needs "
       "notify.webhook_url, approvals.url and approvals.hmac_key_file)",
       RS_AT(approvals.listen)},
      {"approvals.url", K::kString, "\"\"",
       "The URL the Mattermost server calls for a button, e.g. http://sync.internal:8071/v1/actions",
       RS_AT(approvals.url)},
      {"approvals.approvers.system_admins", K::kBool, "true",
       "Any system admin may approve (read from the server for each click)",
       RS_AT(approvals.system_admins)},
      {"approvals.approvers.usernames", K::kStringList, "[]",
       "These usernames may approve too", RS_AT(approvals.usernames)},
      {"approvals.valid_for", K::kDuration, "24h", "How long a posted button stays valid",
       RS_AT(approvals.valid_for_ms)},
      {"approvals.hmac_key_file",
       K::kString,
       "\"\"",
       "File holding the key (16+ bytes) that signs button contexts (HMAC-SHA256); never logged",
       RS_AT(approvals.hmac_key_file),
       {},
       false,
       true},
      {"approvals.second_approver_above", K::kInt, "0",
       "A held set with more deactivations than this needs two different approvers; 0 = one",
       RS_AT(approvals.second_approver_above)},
      {"logging.level",
       K::kEnum,
       "info",
       "trace | debug | info | warn | error",
       RS_AT(logging.level),
       {"trace", "debug", "info", "warn", "error"}},
      {"logging.format",
       K::kEnum,
       "text",
       "text | json (one object per line)",
       RS_AT(logging.format),
       {"text", "json"}},
  };
  for (auto& k : rest) s.push_back(std::move(k));
  return s;
}

#undef RS_AT

}  // namespace

const std::vector<KeySpec>& ConfigSchema() {
  static const std::vector<KeySpec> schema = BuildSchema();
  return schema;
}

const KeySpec* FindKeySpec(const std::string& path) {
  for (const KeySpec& k : ConfigSchema()) {
    if (path == k.path) return &k;
  }
  return nullptr;
}

const std::vector<std::string>& KnownConfigKeys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    for (const KeySpec& k : ConfigSchema()) out.push_back(k.path);
    return out;
  }();
  return keys;
}

}  // namespace rostersync
