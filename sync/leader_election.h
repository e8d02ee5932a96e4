// LeaderElection: the seam for "only one instance applies changes" when several rostersync
// processes share one state database. The state side implements it (state/leader_lock.h: a
// PostgreSQL advisory lock); SoleLeader is the answer for a store one process holds alone
// (SQLite: the store's file lock already keeps a second writer out). Not thread-safe: one
// caller (the cycle thread).
#ifndef ROSTERSYNC_SYNC_LEADER_ELECTION_H_
#define ROSTERSYNC_SYNC_LEADER_ELECTION_H_

#include "sync/status.h"

namespace rostersync {

class LeaderElection {
 public:
  virtual ~LeaderElection() = default;
  // OK when this process leads (holds, or just took, leadership); Conflict when another
  // instance leads (stand by and call again next cycle); IoError when the database cannot
  // be reached (its text names the cause, never a password). Safe to call every cycle: a
  // lost connection is re-established.
  virtual Status Acquire() = 0;
  // Whether this process led after the last Acquire().
  virtual bool held() const = 0;
  // Whether other instances can contend at all (false: Acquire() always answers OK).
  virtual bool contended() const = 0;
};

// Always the leader: for a state store no other process can write.
class SoleLeader : public LeaderElection {
 public:
  Status Acquire() override {
    held_ = true;
    return Status::Ok();
  }
  bool held() const override { return held_; }
  bool contended() const override { return false; }

 private:
  bool held_ = false;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_LEADER_ELECTION_H_
