// Config loading: YAML text -> Config, with every problem found reported at once
// (file:line:column, dotted key path, what to do). Stateless free functions, thread-safe.
// Secrets are never echoed: messages name the key and the line, never a token's value.
#ifndef ROSTERSYNC_CONFIG_CONFIG_LOADER_H_
#define ROSTERSYNC_CONFIG_CONFIG_LOADER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_schema.h"
#include "sync/options.h"
#include "sync/status.h"

namespace rostersync {

// One thing wrong with a config. line/column are 1-based; 0 when the problem has no place
// in the file (a missing section, an unreadable file).
struct ConfigProblem {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key_path;  // "mattermost.timeout"; "" for syntax errors
  std::string message;
  bool warning = false;
  // "config.yaml:12:3: mattermost.timout: unknown key; did you mean 'timeout'?"
  // Warnings read "...: warning: ...".
  std::string ToString() const;
};

struct ConfigLoad {
  Config config;  // filled as far as the file allowed; docs/contract.md defaults elsewhere
  std::vector<ConfigProblem> problems;  // sorted by position; placeless ones last
  bool ok() const;                      // no errors (warnings allowed)
  std::string Report() const;           // every problem, one per line ("" when none)
};

// Reads and parses `path`. A missing or unreadable file is one problem saying what to do.
ConfigLoad LoadConfigFile(const std::string& path);

// Parses YAML text; `file_name` is used in messages and stored in Config::path. Checks the
// files the config names (token_file, ca_file, ...) on the local filesystem too. Never throws.
ConfigLoad ParseConfig(const std::string& yaml_text, const std::string& file_name);

// The Mattermost token from token_file (preferred) or token_env, trimmed of surrounding
// whitespace. Invalid when neither/both are set or the value is empty; IoError when the file
// is unreadable. Messages never contain the token. Safe to retry (reads again each call).
Result<std::string> ReadMattermostToken(const MattermostConfig& mm);

// The planner's view of the config: scope, match, policy, fields.update, mapped fields.
PlannerOptions ToPlannerOptions(const Config& config);
// membership.* and policy.membership as the membership planner's options (rules empty: off).
MembershipOptions ToMembershipOptions(const Config& config);

// "90s", "15m", "2h", "3d", "200ms", "1h30m", "0" -> milliseconds. Anything else (a bare
// number other than 0, "15x", negative, overflow) -> Invalid saying what is accepted.
Result<int64_t> ParseDuration(const std::string& text);

// 90000 -> "90s", 0 -> "0"; the largest unit that divides exactly.
std::string FormatDuration(int64_t ms);

}  // namespace rostersync

#endif  // ROSTERSYNC_CONFIG_CONFIG_LOADER_H_
