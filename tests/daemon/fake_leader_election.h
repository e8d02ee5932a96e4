// FakeLeaderElection (tests): a LeaderElection that answers from a script (then repeats its
// last answer; OK when never scripted) and counts the checks. Contended, like PostgreSQL.
#ifndef ROSTERSYNC_TESTS_DAEMON_FAKE_LEADER_ELECTION_H_
#define ROSTERSYNC_TESTS_DAEMON_FAKE_LEADER_ELECTION_H_

#include <deque>

#include "sync/leader_election.h"

namespace rostersync::testing {

class FakeLeaderElection : public LeaderElection {
 public:
  void Answer(Status s) { script_.push_back(std::move(s)); }
  Status Acquire() override {
    ++checks_;
    if (!script_.empty()) {
      last_ = script_.front();
      script_.pop_front();
    }
    held_ = last_.ok();
    return last_;
  }
  bool held() const override { return held_; }
  bool contended() const override { return true; }
  int checks() const { return checks_; }

 private:
  std::deque<Status> script_;
  Status last_ = Status::Ok();
  bool held_ = false;
  int checks_ = 0;
};

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_DAEMON_FAKE_LEADER_ELECTION_H_
