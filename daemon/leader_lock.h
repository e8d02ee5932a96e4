// LeaderLock: with a PostgreSQL state store, only one rostersync instance applies changes.
// It holds pg_try_advisory_lock on a dedicated session for the life of the process; the
// others stand by and retry each cycle, so one takes over within one interval.
// Owns its session. Not thread-safe: call from the cycle thread only.
#ifndef ROSTERSYNC_DAEMON_LEADER_LOCK_H_
#define ROSTERSYNC_DAEMON_LEADER_LOCK_H_

#include <memory>
#include <string>

#include "sync/status.h"

namespace Poco::Data {
class Session;
}

namespace rostersync::daemon {

class LeaderLock {
 public:
  static constexpr long long kLockKey = 0x726f737465727379;  // "rostersy"

  // database: state.database. For anything but "postgresql:..." no lock is needed and
  // TryAcquire always answers true.
  explicit LeaderLock(std::string database);
  ~LeaderLock();
  LeaderLock(const LeaderLock&) = delete;
  LeaderLock& operator=(const LeaderLock&) = delete;

  bool needed() const { return !conninfo_.empty(); }
  // OK when this process holds (or just took) the lock; Conflict when another instance holds
  // it (a real standby); IoError when the database cannot be reached or refuses the login
  // (its text names the cause, never the password). Safe to call each cycle: a lost session
  // is reconnected.
  Status Acquire();
  // Acquire() as a bool for the service, which stands by and retries either way: an IoError
  // counts as false and is logged.
  bool TryAcquire();
  bool held() const { return held_; }

 private:
  std::string conninfo_;
  std::unique_ptr<Poco::Data::Session> session_;
  bool held_ = false;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_LEADER_LOCK_H_
