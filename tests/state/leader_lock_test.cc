// Leader election on the state database (state/leader_lock.h): SQLite needs none; on
// PostgreSQL one instance holds the advisory lock, the other stands by and takes over when
// the holder's session closes; an unreachable database is an error, never "another leads".
#include "state/leader_lock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace rostersync {
namespace {

TEST(LeaderLockTest, SqliteNeedsNoLockAndAlwaysLeads) {
  std::unique_ptr<LeaderElection> lock = OpenLeaderElection("sqlite:/tmp/whatever.db");
  EXPECT_FALSE(lock->contended());
  EXPECT_TRUE(lock->Acquire().ok());
  EXPECT_TRUE(lock->held());
}

TEST(LeaderLockTest, OnlyOneInstanceHoldsThePostgresLockAndTheOtherTakesOver) {
  const char* pg = std::getenv("ROSTERSYNC_TEST_PG");
  if (pg == nullptr || *pg == '\0') {
    GTEST_FAIL() << "PostgreSQL is a prerequisite, not optional: ROSTERSYNC_TEST_PG is unset (scripts/test starts a server); run scripts/start-postgres and export it";
  }
  const std::string database = std::string("postgresql:") + pg;
  std::unique_ptr<LeaderElection> first = OpenLeaderElection(database);
  std::unique_ptr<LeaderElection> second = OpenLeaderElection(database);
  ASSERT_TRUE(first->contended());
  EXPECT_TRUE(first->Acquire().ok());
  EXPECT_TRUE(second->Acquire().IsConflict());  // standby
  EXPECT_FALSE(second->held());
  EXPECT_TRUE(first->Acquire().ok());  // still the leader
  first.reset();  // its session closes: the server releases the lock as the backend exits
  bool took_over = false;
  for (int i = 0; i < 50 && !(took_over = second->Acquire().ok()); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(took_over);
  EXPECT_TRUE(second->held());
}

TEST(LeaderLockTest, AnUnreachableDatabaseMeansStandbyNotACrash) {
  std::unique_ptr<LeaderElection> lock =
      OpenLeaderElection("postgresql:host=127.0.0.1 port=1 dbname=x user=x connect_timeout=2");
  EXPECT_FALSE(lock->Acquire().ok());
  EXPECT_FALSE(lock->held());
}

// Unreachable is an error saying so (never the password), not "another instance leads".
TEST(LeaderLockTest, AcquireTellsAnUnreachableDatabaseFromAHeldLock) {
  std::unique_ptr<LeaderElection> lock = OpenLeaderElection(
      "postgresql:host=127.0.0.1 port=1 dbname=x user=x password=s3cret-pw connect_timeout=2");
  Status s = lock->Acquire();
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(s.IsConflict()) << s.ToString();
  EXPECT_NE(s.message().find("state database"), std::string::npos) << s.ToString();
  EXPECT_EQ(s.message().find("s3cret-pw"), std::string::npos) << s.ToString();
  EXPECT_FALSE(lock->held());
}

}  // namespace
}  // namespace rostersync
