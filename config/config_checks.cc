// Cross-key checks and the files the config names (token files, CA bundle, roster, state).
// Values of secret keys are never echoed; file paths are shown only when they look like paths.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "config/config_internal.h"
#include "config/host_and_secrets.h"
#include "config/config_schema.h"
#include "config/sql_query_check.h"

namespace rostersync::config_internal {
namespace {

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// A token pasted where a path belongs has no '/': don't echo such a value.
std::string ShownPath(const std::string& path) {
  return path.find('/') == std::string::npos ? "the file" : path;
}

// A file holding a secret: must be a readable, non-empty regular file; warn when group or
// others may read it.
void CheckSecretFile(LoadContext& ctx, const std::string& key, const std::string& file,
                     const std::string& holding) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    ctx.ErrorAt(key, "cannot read " + ShownPath(file) + ": " + std::strerror(errno) +
                         "; create it holding " + holding + " (chmod 600) or fix the path");
    return;
  }
  if (!S_ISREG(st.st_mode)) {
    ctx.ErrorAt(key, ShownPath(file) + " is not a regular file; it must hold " + holding);
    return;
  }
  if (::access(file.c_str(), R_OK) != 0) {
    ctx.ErrorAt(key, "cannot read " + ShownPath(file) + ": " + std::strerror(errno) +
                         "; let the rostersync user read it");
    return;
  }
  if (st.st_size == 0) {
    ctx.ErrorAt(key, ShownPath(file) + " is empty; it must hold " + holding);
  }
  if (st.st_mode & (S_IRGRP | S_IROTH)) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(st.st_mode & 07777));
    ctx.WarnAt(
        key, ShownPath(file) + " is readable by group or others (mode " + mode + "); chmod 600 it");
  }
}

bool IsEnvName(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// "https://chat.example.com:8065/x" -> host "chat.example.com"; "" when not http(s).
std::string UrlHost(const std::string& url, bool* https) {
  *https = StartsWith(url, "https://");
  if (!*https && !StartsWith(url, "http://")) return "";
  std::string rest = url.substr(*https ? 8 : 7);
  rest = rest.substr(0, rest.find('/'));
  if (!rest.empty() && rest[0] == '[') return rest.substr(0, rest.find(']') + 1);
  return rest.substr(0, rest.find(':'));
}

void CheckMattermost(LoadContext& ctx, const MattermostConfig& mm) {
  bool https = false;
  if (ctx.Has("mattermost.url")) {
    const std::string host = UrlHost(mm.url, &https);
    if (host.empty()) {
      ctx.ErrorAt("mattermost.url",
                  "expected the server's base URL, e.g. https://chat.example.com");
    } else if (!https && !IsLoopbackHost(host)) {
      ctx.WarnAt("mattermost.url", "http:// sends the token in clear; use https://");
    }
    if (mm.url.find("/api/v4") != std::string::npos) {
      ctx.WarnAt("mattermost.url", "write the server's base URL without /api/v4; it is added");
    }
  }
  const bool has_file = !mm.token_file.empty(), has_env = !mm.token_env.empty();
  if (has_file && has_env) {
    ctx.ErrorAt("mattermost.token_env", "set only one of token_file or token_env");
  } else if (!has_file && !has_env) {
    ctx.ErrorAt("mattermost.token_file",
                "no token configured: set token_file (a file holding the token, e.g. a systemd "
                "credential) or token_env (the name of an environment variable)");
  }
  if (has_file) CheckSecretFile(ctx, "mattermost.token_file", mm.token_file, "the token");
  if (has_env && !has_file) {
    if (!IsEnvName(mm.token_env)) {
      ctx.ErrorAt("mattermost.token_env",
                  "must name an environment variable (letters, digits, _), not hold the token");
    } else if (const char* v = std::getenv(mm.token_env.c_str()); v == nullptr || *v == '\0') {
      ctx.WarnAt("mattermost.token_env",
                 "the variable is not set here; it must be set where rostersync runs");
    }
  }
  if (!mm.ca_file.empty() && ::access(mm.ca_file.c_str(), R_OK) != 0) {
    ctx.ErrorAt("mattermost.ca_file", "cannot read " + mm.ca_file + ": " + std::strerror(errno));
  }
  if (mm.insecure_skip_verify) {
    ctx.WarnAt("mattermost.insecure_skip_verify",
               "TLS verification is off: anyone on the network path can read the token");
  }
  if (mm.timeout_ms <= 0) ctx.ErrorAt("mattermost.timeout", "must be more than 0");
  if (mm.retry_base_delay_ms > mm.retry_max_delay_ms) {
    ctx.ErrorAt("mattermost.retries.base_delay", "is longer than retries.max_delay");
  }
}

void CheckRoster(LoadContext& ctx, const RosterConfig& r) {
  if (r.source == "csv") {
    if (!r.sql.connection.empty() || !r.sql.connection_env.empty() ||
        !r.sql.connection_file.empty() || !r.sql.query.empty()) {
      ctx.WarnAt("roster.sql", "ignored: roster.source is csv");
    }
    if (r.csv.path.empty()) {
      ctx.ErrorAt("roster.csv.path", "must name the roster CSV file");
    } else if (::access(r.csv.path.c_str(), R_OK) != 0) {
      ctx.WarnAt("roster.csv.path", "cannot read " + r.csv.path + " now (" + std::strerror(errno) +
                                        "); cycles fail until it exists");
    }
  } else if (r.source == "sql") {
    const int given =
        !r.sql.connection.empty() + !r.sql.connection_env.empty() + !r.sql.connection_file.empty();
    if (given != 1) {
      ctx.ErrorAt("roster.sql", "set exactly one of connection, connection_env or connection_file");
    }
    if (!r.sql.connection_file.empty()) {
      CheckSecretFile(ctx, "roster.sql.connection_file", r.sql.connection_file,
                      "the connection string");
    }
    if (!r.sql.connection_env.empty() && !IsEnvName(r.sql.connection_env)) {
      ctx.ErrorAt("roster.sql.connection_env", "must name an environment variable");
    }
    if (r.sql.connection.find("password") != std::string::npos) {
      ctx.WarnAt("roster.sql.connection",
                 "holds a password inline; move it to connection_file (chmod 600)");
    }
    if (r.sql.query.empty()) {
      ctx.ErrorAt("roster.sql.query", "source sql needs a query (SELECT ... one row per person)");
    } else if (std::string why = SqlQueryProblem(r.sql.query); !why.empty()) {
      ctx.ErrorAt("roster.sql.query", why);
    }
    if (r.sql.timeout_ms <= 0) ctx.ErrorAt("roster.sql.timeout", "must be more than 0");
  }
  if (ctx.Has("roster.key") && r.key.empty()) {
    ctx.ErrorAt("roster.key", "must name the roster column that identifies a person");
  }
}

void CheckService(LoadContext& ctx, const Config& c) {
  if (c.schedule.interval_ms <= 0) ctx.ErrorAt("schedule.interval", "must be more than 0");
  if (c.schedule.jitter_ms >= c.schedule.interval_ms && c.schedule.interval_ms > 0) {
    ctx.WarnAt("schedule.jitter", "is not shorter than schedule.interval");
  }
  const std::string& db = c.state.database;
  if (!((StartsWith(db, "sqlite:") && db.size() > 7) ||
        (StartsWith(db, "postgresql:") && db.size() > 11))) {
    ctx.ErrorAt("state.database", "expected sqlite:PATH or postgresql:CONNINFO");
  } else if (StartsWith(db, "postgresql:") && db.find("password") != std::string::npos) {
    ctx.WarnAt("state.database",
               "holds a password inline; use a ~/.pgpass or PGPASSFILE credential instead");
  }
  if (c.audit.file.empty()) ctx.ErrorAt("audit.file", "must name a file for the audit trail");
  const std::string& listen = c.admin.listen;
  const size_t colon = listen.rfind(':');
  const std::string host = colon == std::string::npos ? "" : listen.substr(0, colon);
  const std::string port = colon == std::string::npos ? "" : listen.substr(colon + 1);
  const bool port_ok = !port.empty() && port.size() <= 5 &&
                       port.find_first_not_of("0123456789") == std::string::npos &&
                       std::stoi(port) <= 65535;
  if (!port_ok) {
    ctx.ErrorAt("admin.listen", "expected HOST:PORT, e.g. 127.0.0.1:9187");
  } else if (!IsLoopbackHost(host) && c.admin.token_file.empty()) {
    ctx.ErrorAt("admin.listen",
                "listening beyond loopback needs admin.token_file, or anyone who can reach the "
                "port can trigger syncs");
  }
  if (!c.admin.token_file.empty()) {
    CheckSecretFile(ctx, "admin.token_file", c.admin.token_file, "the admin bearer token");
  }
  const std::string& hook = c.notify.webhook_url;
  if (!hook.empty() && !StartsWith(hook, "https://") && !StartsWith(hook, "http://")) {
    ctx.ErrorAt("notify.webhook_url", "expected an http(s) URL of a Mattermost incoming webhook");
  }
  if (!c.approvals.listen.empty()) {  // the buttons need every part (daemon/approval_*.h)
    if (hook.empty()) ctx.ErrorAt("approvals.listen", "the buttons need notify.webhook_url");
    if (!StartsWith(c.approvals.url, "https://") && !StartsWith(c.approvals.url, "http://")) {
      ctx.ErrorAt("approvals.url", "expected the http(s) URL the Mattermost server calls");
    }
    if (c.approvals.hmac_key_file.empty()) {
      ctx.ErrorAt("approvals.hmac_key_file", "the buttons need a key file");
    } else {
      CheckSecretFile(ctx, "approvals.hmac_key_file", c.approvals.hmac_key_file, "the HMAC key");
    }
  }
  for (const std::string& s : c.scope.auth_services) {
    if (!Contains(KnownAuthServices(), s)) {
      ctx.ErrorAt("scope.auth_services", "unknown auth service '" + s + "'; expected " +
                                             JoinChoices(KnownAuthServices()) +
                                             DidYouMean(s, KnownAuthServices()));
    }
  }
}

}  // namespace

void CheckConfig(LoadContext& ctx, Config& config) {
  for (const KeySpec& k : ConfigSchema()) {
    if (!k.required || ctx.Has(k.path)) continue;
    std::string hint = std::string("see docs/config-reference.md: ") + k.meaning;
    if (std::string(k.path) == "mattermost.url") {
      hint = "write the server's base URL, e.g. url: https://chat.example.com";
    } else if (std::string(k.path) == "roster.key") {
      hint = "name the roster column that identifies a person for life, e.g. key: employee_id";
    }
    ctx.ErrorAt(k.path, "missing required key; " + hint);
  }
  CheckMattermost(ctx, config.mattermost);
  CheckRoster(ctx, config.roster);
  CheckService(ctx, config);
}

}  // namespace rostersync::config_internal
