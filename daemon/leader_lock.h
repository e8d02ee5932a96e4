// LoggedLeaderElection: wraps the state side's leader election (sync/leader_election.h) and
// logs its transitions: "took the leader lock" when this instance starts applying changes,
// "lost the leader lock session" when a held lock's connection fails. Built by
// MakeLeaderElection (daemon/wiring.h). Not thread-safe, like what it wraps.
#ifndef ROSTERSYNC_DAEMON_LEADER_LOCK_H_
#define ROSTERSYNC_DAEMON_LEADER_LOCK_H_

#include <memory>

#include "sync/leader_election.h"

namespace rostersync::daemon {

class LoggedLeaderElection : public LeaderElection {
 public:
  explicit LoggedLeaderElection(std::unique_ptr<LeaderElection> inner)
      : inner_(std::move(inner)) {}

  Status Acquire() override;  // inner's answer, unchanged
  bool held() const override { return inner_->held(); }
  bool contended() const override { return inner_->contended(); }

 private:
  std::unique_ptr<LeaderElection> inner_;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_LEADER_LOCK_H_
