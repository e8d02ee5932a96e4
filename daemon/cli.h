// The rostersync command line (docs/contract.md "Command line"): global options, one command, its
// options. Parsing is pure (ParseCommandLine) so tests can check it; RunCli dispatches.
// Not thread-safe (runs once, on the main thread, before any thread exists).
#ifndef ROSTERSYNC_DAEMON_CLI_H_
#define ROSTERSYNC_DAEMON_CLI_H_

#include <map>
#include <string>
#include <vector>

#include "sync/status.h"

namespace rostersync::daemon {

constexpr const char* kDefaultConfigPath = "/etc/rostersync/config.yaml";

struct CommandLine {
  std::string program = "rostersync";
  std::string config_path = kDefaultConfigPath;
  bool config_given = false;
  std::string command;                      // "" with --help / --version alone
  bool help = false;                        // --help (global or for the command)
  std::map<std::string, std::string> opts;  // "--json" -> "", "--since" -> "24h"
  std::vector<std::string> positionals;     // sync-user KEY
  bool Has(const std::string& opt) const { return opts.count(opt) > 0; }
  std::string Get(const std::string& opt) const {
    auto it = opts.find(opt);
    return it == opts.end() ? "" : it->second;
  }
};

// Invalid (with what to do) for an unknown command or option, a missing value or argument.
Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args);

// The full help ("" command) or one command's help.
std::string HelpText(const std::string& command);

// Parses argv and runs the command. Returns the process exit code (exit_codes.h).
int RunCli(int argc, char** argv);

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_CLI_H_
