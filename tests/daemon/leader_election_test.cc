// LoggedLeaderElection (daemon/leader_lock.h) over a scripted election: it answers what the
// election answers and logs taking the lock and losing a held lock's session, once each.
#include "daemon/leader_lock.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <deque>
#include <sstream>
#include <string>

#include "tests/daemon/captured_log_test.h"
#include "tests/daemon/fake_leader_election.h"

namespace rostersync::daemon {
namespace {

using ::rostersync::testing::FakeLeaderElection;

class LeaderElectionLogTest : public ::rostersync::testing::CapturedLogTest {
 protected:
  int Count(const std::string& text) {
    spdlog::default_logger()->flush();
    const std::string all = out_.str();
    int n = 0;
    for (auto at = all.find(text); at != std::string::npos; at = all.find(text, at + 1)) ++n;
    return n;
  }
};

TEST_F(LeaderElectionLogTest, LogsTakingAndLosingTheLockOnceEach) {
  auto fake = std::make_unique<FakeLeaderElection>();
  FakeLeaderElection* script = fake.get();
  LoggedLeaderElection election(std::move(fake));
  script->Answer(Status::Conflict("another rostersync instance holds the leader lock"));
  script->Answer(Status::Ok());
  script->Answer(Status::Ok());
  script->Answer(Status::IoError("connection reset"));
  EXPECT_TRUE(election.Acquire().IsConflict());
  EXPECT_EQ(Count("took the leader lock"), 0);
  EXPECT_TRUE(election.Acquire().ok());
  EXPECT_TRUE(election.Acquire().ok());
  EXPECT_EQ(Count("took the leader lock"), 1) << "logged when taken, not at every check";
  Status lost = election.Acquire();
  EXPECT_EQ(lost.code(), Status::Code::kIoError);
  EXPECT_FALSE(election.held());
  EXPECT_EQ(Count("lost the leader lock: its session to the state database failed"), 1);
}

TEST_F(LeaderElectionLogTest, ASoleLeaderNeverLogsTakingALock) {
  LoggedLeaderElection election(std::make_unique<SoleLeader>());
  EXPECT_TRUE(election.Acquire().ok());
  EXPECT_TRUE(election.Acquire().ok());
  EXPECT_FALSE(election.contended());
  EXPECT_EQ(Count("leader lock"), 0);
}

}  // namespace
}  // namespace rostersync::daemon
