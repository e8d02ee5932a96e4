// The status view: what GET /v1/status shows, as a plain snapshot the service fills under
// its mutex, and its JSON. Split from service.cc (docs/design.md, "Targets"); pure and
// thread-safe.
#ifndef ROSTERSYNC_DAEMON_STATUS_VIEW_H_
#define ROSTERSYNC_DAEMON_STATUS_VIEW_H_

#include <cstdint>
#include <optional>
#include <string>

#include "sync/state_store.h"

namespace rostersync::daemon {

struct StatusSnapshot {
  bool ready = false;
  std::string not_ready_reason;
  bool standby = false;
  bool cycle_running = false;
  bool scheduled = false;  // a scheduler runs (the fields below come from it)
  int cycles_run = 0;
  int consecutive_failures = 0;
  int64_t next_due_ms = 0;
  std::string config_path;
  std::optional<RunRecord> last_run;  // RunRecordFor of the last cycle this process ran
};

// {"ready","not_ready_reason","role","cycle_running","cycles_run","consecutive_failures",
//  "next_cycle","config","last_run"}.
std::string StatusToJson(const StatusSnapshot& status);

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_STATUS_VIEW_H_
