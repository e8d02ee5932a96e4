// StatusToJson: see daemon/status_view.h.
#include "daemon/status_view.h"

#include "daemon/json_views.h"
#include "sync/clock.h"

namespace rostersync::daemon {

std::string StatusToJson(const StatusSnapshot& s) {
  return "{\"ready\":" + std::string(s.ready ? "true" : "false") +
         ",\"not_ready_reason\":" + JsonString(s.not_ready_reason) +
         ",\"role\":" + JsonString(s.standby ? "standby" : "leader") +
         ",\"cycle_running\":" + (s.cycle_running ? "true" : "false") +
         ",\"cycles_run\":" + std::to_string(s.scheduled ? s.cycles_run : 0) +
         ",\"consecutive_failures\":" + std::to_string(s.scheduled ? s.consecutive_failures : 0) +
         ",\"next_cycle\":" + JsonString(s.scheduled ? UtcTimestamp(s.next_due_ms) : "") +
         ",\"config\":" + JsonString(s.config_path) +
         ",\"last_run\":" + (s.last_run ? RunToJson(*s.last_run) : "null") + "}";
}

}  // namespace rostersync::daemon
