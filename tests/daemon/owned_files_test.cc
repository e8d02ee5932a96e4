// The files rostersync appends to or rewrites (audit.file, --pidfile, --logfile) are refused
// when they are a FIFO (the open must not hang), another user's or world-writable.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <string>

#include "daemon/pidfile.h"
#include "state/audit_file.h"
#include "state/owned_file.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

using testing::TempDir;

// Runs `open` on another thread: a blocking open of a FIFO would hang the test binary, so
// this fails after 5 s instead.
template <typename F>
auto WithinFiveSeconds(F open) {
  auto result = std::async(std::launch::async, open);
  EXPECT_EQ(result.wait_for(std::chrono::seconds(5)), std::future_status::ready)
      << "the open hangs on a FIFO";
  if (result.wait_for(std::chrono::seconds(0)) != std::future_status::ready) std::_Exit(1);
  return result.get();
}

TEST(OwnedFilesTest, AuditFileThatIsAFifoIsRefusedWithoutHanging) {
  TempDir dir;
  const std::string fifo = dir.File("audit.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto file = WithinFiveSeconds([&] { return AuditFile::Open(fifo); });
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.status().message().find("not a regular file"), std::string::npos)
      << file.status().ToString();
  EXPECT_NE(file.status().message().find("audit.file"), std::string::npos);
}

TEST(OwnedFilesTest, PidfileThatIsAFifoIsRefusedWithoutHanging) {
  TempDir dir;
  const std::string fifo = dir.File("pid.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto pid = WithinFiveSeconds([&] { return daemon::PidFile::Write(fifo); });
  ASSERT_FALSE(pid.ok());
  EXPECT_NE(pid.status().message().find("not a regular file"), std::string::npos);
}

TEST(OwnedFilesTest, WorldWritableAuditAndPidFilesAreRefusedUntouched) {
  TempDir dir;
  const std::string audit = dir.Write("audit.jsonl", "{\"forged\":1}\n");
  const std::string pid = dir.Write("rostersync.pid", "4242\n");
  for (const std::string& path : {audit, pid}) ASSERT_EQ(::chmod(path.c_str(), 0666), 0);
  auto file = AuditFile::Open(audit);
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.status().message().find("writable by every user"), std::string::npos)
      << file.status().ToString();
  EXPECT_NE(file.status().message().find("chmod o-w"), std::string::npos);
  auto written = daemon::PidFile::Write(pid);
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.status().message().find("--pidfile"), std::string::npos);
  EXPECT_EQ(TempDir::Read(pid), "4242\n");  // refused before O_TRUNC
  EXPECT_FALSE(daemon::CheckWritableFile("--logfile", audit).ok());
  ASSERT_EQ(::chmod(audit.c_str(), 0640), 0);
  EXPECT_TRUE(AuditFile::Open(audit).ok());
}

TEST(OwnedFilesTest, AFileOfAnotherUserIsRefusedOneOfRootOrOursIsNot) {
  TempDir dir;
  const std::string path = dir.Write("audit.jsonl", "");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  ASSERT_TRUE(CheckOwnedFile("audit.file", path, st).ok());
  st.st_uid = 0;
  EXPECT_TRUE(CheckOwnedFile("audit.file", path, st).ok());
  st.st_uid = ::geteuid() + 4242;
  Status other = CheckOwnedFile("audit.file", path, st);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.message().find("owned by uid " + std::to_string(st.st_uid)), std::string::npos)
      << other.ToString();
  EXPECT_NE(other.message().find("chown"), std::string::npos);
  // The real file, when this user may give it away (root): the open refuses it too.
  if (::chown(path.c_str(), st.st_uid, static_cast<gid_t>(-1)) == 0) {
    auto file = AuditFile::Open(path);
    EXPECT_FALSE(file.ok());
    EXPECT_FALSE(daemon::PidFile::Write(path).ok());
    EXPECT_FALSE(daemon::CheckWritableFile("--logfile", path).ok());
  }
}

}  // namespace
}  // namespace rostersync
