#include "daemon/leader_lock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace rostersync::daemon {
namespace {

TEST(LeaderLockTest, SqliteNeedsNoLockAndAlwaysLeads) {
  LeaderLock lock("sqlite:/tmp/whatever.db");
  EXPECT_FALSE(lock.needed());
  EXPECT_TRUE(lock.TryAcquire());
}

TEST(LeaderLockTest, OnlyOneInstanceHoldsThePostgresLockAndTheOtherTakesOver) {
  const char* pg = std::getenv("ROSTERSYNC_TEST_PG");
  if (pg == nullptr || *pg == '\0') {
    GTEST_FAIL() << "PostgreSQL is a prerequisite, not optional: ROSTERSYNC_TEST_PG is unset (scripts/test starts a server); run scripts/start-postgres and export it";
  }
  const std::string database = std::string("postgresql:") + pg;
  auto first = std::make_unique<LeaderLock>(database);
  LeaderLock second(database);
  ASSERT_TRUE(first->needed());
  EXPECT_TRUE(first->TryAcquire());
  EXPECT_FALSE(second.TryAcquire());  // standby
  EXPECT_TRUE(second.Acquire().IsConflict());
  EXPECT_TRUE(first->TryAcquire());   // still the leader
  first.reset();  // its session closes: the server releases the lock as the backend exits
  bool took_over = false;
  for (int i = 0; i < 50 && !(took_over = second.TryAcquire()); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(took_over);
}

TEST(LeaderLockTest, AnUnreachableDatabaseMeansStandbyNotACrash) {
  LeaderLock lock("postgresql:host=127.0.0.1 port=1 dbname=x user=x connect_timeout=2");
  EXPECT_FALSE(lock.TryAcquire());
  EXPECT_FALSE(lock.held());
}

// Unreachable is an error saying so (never the password), not "another instance leads".
TEST(LeaderLockTest, AcquireTellsAnUnreachableDatabaseFromAHeldLock) {
  LeaderLock lock(
      "postgresql:host=127.0.0.1 port=1 dbname=x user=x password=s3cret-pw connect_timeout=2");
  Status s = lock.Acquire();
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(s.IsConflict()) << s.ToString();
  EXPECT_NE(s.message().find("state database"), std::string::npos) << s.ToString();
  EXPECT_EQ(s.message().find("s3cret-pw"), std::string::npos) << s.ToString();
  EXPECT_FALSE(lock.held());
}

}  // namespace
}  // namespace rostersync::daemon
