// The state store while its database goes away under it: a PostgreSQL server that restarts
// is reconnected to (the store renews its session after a failure; a dead session never
// recovers by itself), and a SQLite file removed or replaced under the store is refused
// (writing on into the deleted inode while another process starts a new file would make
// two writers).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "state/open_store.h"
#include "tests/support/child_process.h"
#include "tests/support/own_postgres.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

using ::rostersync::testing::OwnPostgres;
using ::rostersync::testing::TempDir;

RunRecord NewRun(const std::string& id) {
  RunRecord r;
  r.run_id = id;
  r.started_ms = 1'795'953'600'000;
  return r;
}

std::string Message(const Status& s) { return s.ToString(); }

TEST(StoreReplacedTest, ASqliteFileRemovedUnderTheStoreIsRefusedNotWrittenOn) {
  TempDir dir;
  const std::string path = dir.File("state.db");
  auto store = OpenStateStore("sqlite:" + path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->BeginRun(NewRun("r-1")).ok());
  ASSERT_EQ(std::remove(path.c_str()), 0);
  Status s = (*store)->BeginRun(NewRun("r-2"));
  ASSERT_FALSE(s.ok()) << "the store wrote on into a deleted file";
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_NE(Message(s).find("was removed or replaced while the service ran"), std::string::npos)
      << Message(s);
  EXPECT_NE(Message(s).find(path), std::string::npos) << Message(s);
  EXPECT_FALSE((*store)->LoadLedger().ok());
}

TEST(StoreReplacedTest, ASqliteFileReplacedByAnotherIsRefused) {
  TempDir dir;
  const std::string path = dir.File("state.db");
  auto store = OpenStateStore("sqlite:" + path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  dir.Write("other.db", "");
  ASSERT_EQ(std::rename(dir.File("other.db").c_str(), path.c_str()), 0);
  Status s = (*store)->PutValue("k", "v", 1);
  ASSERT_FALSE(s.ok()) << "the store wrote on into a replaced file";
  EXPECT_NE(Message(s).find("restore it or restart"), std::string::npos) << Message(s);
}

TEST(StoreReconnectTest, APostgresServerThatRestartsIsReconnectedTo) {
  OwnPostgres pg;
  ASSERT_TRUE(pg.ok()) << "cannot start a PostgreSQL server with scripts/start-postgres";
  auto store = OpenStateStore(pg.url());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->BeginRun(NewRun("r-1")).ok());

  ASSERT_EQ(pg.Stop(), 0);
  EXPECT_FALSE((*store)->BeginRun(NewRun("r-2")).ok()) << "wrote with the server down";
  Status down = (*store)->BeginRun(NewRun("r-2"));
  EXPECT_FALSE(down.ok());
  EXPECT_NE(Message(down).find("reconnect"), std::string::npos) << Message(down);
  ASSERT_EQ(pg.Start(), 0);

  // The first call after the restart may still find the old session dead; the next works.
  Status first = (*store)->BeginRun(NewRun("r-3"));
  Status s = first.ok() ? first : (*store)->BeginRun(NewRun("r-3"));
  ASSERT_TRUE(s.ok()) << "never reconnected: " << Message(s) << " (first: " << Message(first)
                      << ")";
  auto runs = (*store)->RecentRuns(10);
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  EXPECT_EQ(runs->size(), 2u);  // r-1 before the restart, r-3 after
}

}  // namespace
}  // namespace rostersync
