// RosterWatch acts on whole files only: a writer that recreates the roster and writes it
// slowly (longer than the quiet period) gets no callback until it has finished.
#include "daemon/roster_watch.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "tests/support/temp_dir.h"

namespace rostersync::daemon {
namespace {

using ::rostersync::testing::TempDir;

void Sleep(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

TEST(RosterWatchTest, ASlowWriterThatRecreatesTheFileGetsNoCallbackOnThePartialFile) {
  TempDir dir;
  const std::string path = dir.Write("roster.csv", "id,name\n1,a\n");
  std::atomic<int> calls{0};
  RosterWatch watch(path, [&] { ++calls; }, /*stable_ms=*/500);
  ASSERT_TRUE(watch.Start().ok());
  ASSERT_EQ(std::remove(path.c_str()), 0);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  for (int i = 0; i < 8; ++i) {  // 2 s of writing: four times the quiet period
    std::string row = std::to_string(i) + ",name" + std::to_string(i) + "\n";
    ASSERT_EQ(::write(fd, row.data(), row.size()), static_cast<ssize_t>(row.size()));
    Sleep(250);
  }
  EXPECT_EQ(calls.load(), 0) << "a callback fired on a file still being written";
  ::close(fd);
  Sleep(1200);
  EXPECT_EQ(calls.load(), 1);
}

TEST(RosterWatchTest, AWriterThatClosesBetweenChunksIsWaitedFor) {
  TempDir dir;
  const std::string path = dir.Write("roster.csv", "id,name\n");
  std::atomic<int> calls{0};
  RosterWatch watch(path, [&] { ++calls; }, /*stable_ms=*/600);
  ASSERT_TRUE(watch.Start().ok());
  for (int i = 0; i < 6; ++i) {  // open-append-close every 250 ms for 1.5 s
    FILE* f = std::fopen(path.c_str(), "a");
    ASSERT_NE(f, nullptr);
    std::fprintf(f, "%d,name%d\n", i, i);
    std::fclose(f);
    Sleep(250);
  }
  EXPECT_EQ(calls.load(), 0) << "fired while the size and mtime were still changing";
  Sleep(1200);
  EXPECT_EQ(calls.load(), 1);
}

TEST(RosterWatchTest, ARenameOverFiresOnceItIsStable) {
  TempDir dir;
  const std::string path = dir.Write("roster.csv", "id,name\n");
  std::atomic<int> calls{0};
  RosterWatch watch(path, [&] { ++calls; }, /*stable_ms=*/300);
  ASSERT_TRUE(watch.Start().ok());
  dir.Write("roster.csv.tmp", "id,name\n1,a\n");
  ASSERT_EQ(std::rename(dir.File("roster.csv.tmp").c_str(), path.c_str()), 0);
  Sleep(1000);
  EXPECT_EQ(calls.load(), 1);
}

}  // namespace
}  // namespace rostersync::daemon
