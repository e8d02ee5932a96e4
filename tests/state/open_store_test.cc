// OpenStateStore's SQLite lock and file modes: the lock follows the file (not the path), names
// its holder, lets readers in beside the writer, and the database holds emails: 0600.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "state/open_store.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

using ::rostersync::testing::TempDir;

int Mode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 0777);
}

TEST(OpenStoreLockTest, ASymlinkToTheSameFileCannotOpenASecondWriter) {
  TempDir dir;
  auto first = OpenStateStore("sqlite:" + dir.File("state.db"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(::symlink(dir.File("state.db").c_str(), dir.File("alias.db").c_str()), 0);
  auto second = OpenStateStore("sqlite:" + dir.File("alias.db"));
  ASSERT_FALSE(second.ok()) << "a symlink must not let two instances write one database";
  EXPECT_EQ(second.status().code(), Status::Code::kConflict);
}

TEST(OpenStoreLockTest, TheInUseMessageNamesThePathAndThePid) {
  TempDir dir;
  auto first = OpenStateStore("sqlite:" + dir.File("state.db"));
  ASSERT_TRUE(first.ok());
  auto second = OpenStateStore("sqlite:" + dir.File("state.db"));
  ASSERT_FALSE(second.ok());
  const std::string msg = second.status().message();
  EXPECT_NE(msg.find(dir.File("state.db")), std::string::npos) << msg;
  EXPECT_NE(msg.find(std::to_string(::getpid())), std::string::npos) << msg;
  EXPECT_EQ(msg.find("\xe2\x80\xa6"), std::string::npos) << "no literal ellipsis: " << msg;
}

TEST(OpenStoreLockTest, AReaderOpensBesideTheWriterAndSeesItsRuns) {
  TempDir dir;
  const std::string url = "sqlite:" + dir.File("state.db");
  auto writer = OpenStateStore(url);
  ASSERT_TRUE(writer.ok());
  RunRecord run;
  run.run_id = "r1";
  run.command = RunCommand::kRun;
  run.started_ms = 1000;
  run.result = RunResult::kRunning;
  ASSERT_TRUE((*writer)->BeginRun(run).ok());
  auto reader = OpenStateStoreForReading(url);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto runs = (*reader)->RecentRuns(5);
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].run_id, "r1");
  EXPECT_FALSE((*reader)->BeginRun(run).ok()) << "the reader is read-only";
}

TEST(OpenStoreLockTest, TheDatabaseAndItsWalAndShmAre0600) {
  TempDir dir;
  ::umask(022);
  auto store = OpenStateStore("sqlite:" + dir.File("state.db"));
  ASSERT_TRUE(store.ok());
  RunRecord run;
  run.run_id = "r1";
  run.command = RunCommand::kRun;
  run.result = RunResult::kRunning;
  ASSERT_TRUE((*store)->BeginRun(run).ok());
  EXPECT_EQ(Mode(dir.File("state.db")), 0600);
  EXPECT_EQ(Mode(dir.File("state.db-wal")), 0600);
  EXPECT_EQ(Mode(dir.File("state.db-shm")), 0600);
}

}  // namespace
}  // namespace rostersync
