// What `plan`, `sync` and `sync-user` print for a CycleResult: the same text whether the
// cycle ran in this process or was handed to the running service (POST /v1/sync?wait=true).
// Pure functions; thread-safe.
#ifndef ROSTERSYNC_DAEMON_CYCLE_OUTPUT_H_
#define ROSTERSYNC_DAEMON_CYCLE_OUTPUT_H_

#include <string>

#include "daemon/cycle.h"

namespace rostersync::daemon {

struct CycleOutput {
  int exit_code = 0;
  std::string out;  // stdout
  std::string err;  // stderr
};

// command: "plan" | "sync" | "sync-user" (for "rostersync <command>: error" lines).
// verbose: every rejected row, unmatched account and adoption note (plan --verbose).
CycleOutput RenderCycle(const CycleResult& result, const std::string& command, bool json,
                        bool color, bool verbose = false);

// {"exit_code":N,"stdout":"...","stderr":"..."}: the body a handed-off sync answers with.
std::string CycleOutputToJson(const CycleOutput& output);
Result<CycleOutput> CycleOutputFromJson(const std::string& body);

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_CYCLE_OUTPUT_H_
