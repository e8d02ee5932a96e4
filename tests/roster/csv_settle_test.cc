// WaitForSettledCsv on a FakeClock and a fake sleep (no real waiting): a roster file still
// being written is waited for, a file that keeps changing fails the read after 2 x settle,
// and CsvSource refuses a file that changed while it was read.
#include "roster/csv_settle.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <fstream>

#include "roster/csv_source.h"
#include "roster_test_util.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

int64_t MtimeMs(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0);
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
}

void SetMtimeMs(const std::string& path, int64_t ms) {
  struct timespec times[2];
  times[0].tv_sec = times[1].tv_sec = ms / 1000;
  times[0].tv_nsec = times[1].tv_nsec = (ms % 1000) * 1'000'000;
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

// A fake sleep that advances `clock` and records what it was asked for.
struct FakeSleep {
  FakeClock* clock;
  std::vector<int64_t> calls;
  std::function<void()> during;  // what a writer does while rostersync waits
  SettleSeams Seams() {
    SettleSeams s;
    s.clock = clock;
    s.sleep = [this](int64_t ms) {
      calls.push_back(ms);
      clock->Advance(ms);
      if (during) during();
      return false;
    };
    return s;
  }
  int64_t Total() const {
    int64_t t = 0;
    for (int64_t ms : calls) t += ms;
    return t;
  }
};

TEST(CsvSettleTest, WaitsUntilTheFileIsSettleOldWithoutSleepingForReal) {
  testing::TempDir dir;
  const std::string path = dir.Write("roster.csv", "employee_id\nE1\n");
  FakeClock clock(MtimeMs(path) + 1'000);  // modified 1 s ago
  FakeSleep sleep{&clock, {}, nullptr};
  ASSERT_TRUE(WaitForSettledCsv(path, 5'000, sleep.Seams()).ok());
  EXPECT_EQ(sleep.Total(), 4'000);
}

TEST(CsvSettleTest, ReadsAnOldFileAtOnceAndWaitsNotAtAllWhenOff) {
  testing::TempDir dir;
  const std::string path = dir.Write("roster.csv", "employee_id\nE1\n");
  FakeClock clock(MtimeMs(path) + 60'000);
  FakeSleep sleep{&clock, {}, nullptr};
  EXPECT_TRUE(WaitForSettledCsv(path, 5'000, sleep.Seams()).ok());
  clock.Set(MtimeMs(path));
  EXPECT_TRUE(WaitForSettledCsv(path, 0, sleep.Seams()).ok());
  EXPECT_TRUE(sleep.calls.empty());
}

TEST(CsvSettleTest, FailsAfterTwiceSettleWhenTheFileKeepsChanging) {
  testing::TempDir dir;
  const std::string path = dir.Write("roster.csv", "employee_id\n");
  FakeClock clock(MtimeMs(path));
  FakeSleep sleep{&clock, {}, nullptr};
  sleep.during = [&] {  // a slow writer: a row now and then
    std::ofstream(path, std::ios::app) << "E" << clock.NowMs() << "\n";
    SetMtimeMs(path, clock.NowMs());
  };
  Status s = WaitForSettledCsv(path, 5'000, sleep.Seams());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_NE(s.message().find("is still being written (modified 0s ago"), std::string::npos)
      << s.ToString();
  EXPECT_LE(sleep.Total(), 10'000) << "waited longer than 2 x settle";
}

TEST(CsvSettleTest, SettlesAFileWithAFutureMtimeOnceItStaysUnchanged) {
  testing::TempDir dir;
  const std::string path = dir.Write("roster.csv", "employee_id\nE1\n");
  FakeClock clock(MtimeMs(path) - 3'600'000);  // the file's clock is an hour ahead
  FakeSleep sleep{&clock, {}, nullptr};
  EXPECT_TRUE(WaitForSettledCsv(path, 5'000, sleep.Seams()).ok());
  EXPECT_EQ(sleep.Total(), 5'000);
}

TEST(CsvSettleTest, AStopCutsTheWaitShort) {
  testing::TempDir dir;
  const std::string path = dir.Write("roster.csv", "employee_id\nE1\n");
  FakeClock clock(MtimeMs(path));
  SettleSeams seams;
  seams.clock = &clock;
  seams.sleep = [](int64_t) { return true; };
  Status s = WaitForSettledCsv(path, 5'000, seams);
  EXPECT_EQ(s.code(), Status::Code::kTransient) << s.ToString();
}

TEST(CsvSettleTest, ACsvFileThatChangesWhileItIsReadIsRefused) {
  testing::TempDir dir;
  const std::string path =
      dir.Write("roster.csv", std::string(testing::kHeader) +
                                  "E1,Jane,Doe,jane@example.com,staff,active\n");
  CsvSource source(CsvConfig{path}, "employee_id");
  bool appended = false;
  source.set_after_chunk([&] {
    if (appended) return;
    appended = true;
    std::ofstream(path, std::ios::app) << "E2,John,Roe,john@example.com,staff,active\n";
  });
  Result<RawTable> table = source.Read();
  ASSERT_TRUE(appended);
  ASSERT_FALSE(table.ok()) << "a file written to during the read was used";
  EXPECT_NE(table.status().message().find("changed while it was read; nothing was applied"),
            std::string::npos)
      << table.status().ToString();
}

}  // namespace
}  // namespace rostersync
