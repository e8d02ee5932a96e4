// PgLeaderLock: leader election (sync/leader_election.h) on a PostgreSQL state database.
// It holds pg_try_advisory_lock on a dedicated session for the life of the object; the other
// instances stand by and retry each cycle, so one takes over within one interval.
// Owns its session. Not thread-safe: call from the cycle thread only.
#ifndef ROSTERSYNC_STATE_LEADER_LOCK_H_
#define ROSTERSYNC_STATE_LEADER_LOCK_H_

#include <memory>
#include <string>

#include "sync/leader_election.h"
#include "sync/status.h"

namespace Poco::Data {
class Session;
}

namespace rostersync {

// The election for state.database: a PgLeaderLock for "postgresql:..." / "postgres:...", a
// SoleLeader for anything else (SQLite needs no lock). Connects lazily, at Acquire().
std::unique_ptr<LeaderElection> OpenLeaderElection(const std::string& database);

class PgLeaderLock : public LeaderElection {
 public:
  static constexpr long long kLockKey = 0x726f737465727379;  // "rostersy"

  // conninfo: the libpq conninfo (state.database without its "postgresql:" prefix).
  explicit PgLeaderLock(std::string conninfo);
  ~PgLeaderLock() override;  // closing the session releases the lock
  PgLeaderLock(const PgLeaderLock&) = delete;
  PgLeaderLock& operator=(const PgLeaderLock&) = delete;

  Status Acquire() override;
  bool held() const override { return held_; }
  bool contended() const override { return true; }

 private:
  std::string conninfo_;
  std::unique_ptr<Poco::Data::Session> session_;
  bool held_ = false;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_STATE_LEADER_LOCK_H_
