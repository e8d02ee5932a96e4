// LoggedLeaderElection: see daemon/leader_lock.h.
#include "daemon/leader_lock.h"

#include <spdlog/spdlog.h>

namespace rostersync::daemon {

Status LoggedLeaderElection::Acquire() {
  const bool before = inner_->held();
  Status s = inner_->Acquire();
  if (s.ok() && !before && inner_->contended()) {
    spdlog::info("took the leader lock: this instance applies changes");
  } else if (!s.ok() && !s.IsConflict() && before) {
    spdlog::error("lost the leader lock: its session to the state database failed");
  }
  return s;
}

}  // namespace rostersync::daemon
