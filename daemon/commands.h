// The commands behind the rostersync CLI, one function each; each returns its exit code and
// writes its answer to stdout, diagnostics to stderr. Internal to daemon/.
#ifndef ROSTERSYNC_DAEMON_COMMANDS_H_
#define ROSTERSYNC_DAEMON_COMMANDS_H_

#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "sync/state_store.h"
#include "daemon/cli.h"
#include "sync/status.h"

namespace rostersync::daemon {

int CmdCheckConfig(const CommandLine& cl);
int CmdPlan(const CommandLine& cl);
int CmdSync(const CommandLine& cl);  // also sync-user
int CmdStatus(const CommandLine& cl);
int CmdAudit(const CommandLine& cl);
int CmdHeld(const CommandLine& cl);
int CmdDecide(const CommandLine& cl);  // approve, reject
int CmdRun(const CommandLine& cl, int argc, char** argv);
int CmdDemo(const CommandLine& cl);
int CmdVersion();

// Loads and validates the config; on errors prints every problem to stderr (and returns
// nullopt). Warnings are printed and tolerated. Sets up logging from it.
std::optional<Config> LoadConfigOrReport(const CommandLine& cl);

// The state store opened for reading (beside a running service too); on failure prints the
// error and returns null.
std::unique_ptr<StateStore> OpenStoreOrReport(const CommandLine& cl, const Config& config);

// "rostersync plan: <message>" on stderr, one paragraph.
void PrintError(const std::string& command, const Status& status);

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_COMMANDS_H_
