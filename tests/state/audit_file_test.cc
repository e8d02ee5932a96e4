// AuditFile: one JSON line per record, catch-up after a crash, rotation, concurrency.
#include "state/audit_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "state/audit_json.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

using ::rostersync::testing::TempDir;

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

AuditRecord Record(int i) {
  AuditRecord r;
  r.ts_ms = 1'790'000'000'000 + i;
  r.run_id = "run-7";
  r.action = AuditAction::kCreate;
  r.key = "E" + std::to_string(i);
  r.user_id = "u" + std::to_string(i);
  r.username = "user" + std::to_string(i);
  r.changes = {{"email", "", "user@example.com"}};
  r.result = AuditResult::kOk;
  r.http_status = 201;
  return r;
}

TEST(AuditFileTest, AppendsOneParsableLinePerRecord) {
  TempDir dir;
  auto file = AuditFile::Open(dir.File("audit.jsonl"));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  (*file)->Write(Record(1));
  (*file)->Write(Record(2));
  auto lines = Lines(dir.File("audit.jsonl"));
  ASSERT_EQ(lines.size(), 2u);
  auto back = AuditRecordFromJson(lines[1]);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, Record(2));
  EXPECT_TRUE((*file)->last_error().ok());
}

TEST(AuditFileTest, CatchUpAppendsOnlyTheRecordsTheFileLacks) {
  TempDir dir;
  auto file = AuditFile::Open(dir.File("audit.jsonl"));
  ASSERT_TRUE(file.ok());
  (*file)->Write(Record(1));
  (*file)->Write(Record(2));
  (*file)->CatchUp({Record(1), Record(2), Record(3), Record(4)});
  (*file)->CatchUp({Record(1), Record(2), Record(3), Record(4)});
  auto lines = Lines(dir.File("audit.jsonl"));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(*AuditRecordFromJson(lines[2]), Record(3));
  EXPECT_EQ(*AuditRecordFromJson(lines[3]), Record(4));
}

TEST(AuditFileTest, CatchUpStartsAFreshLineAfterALineCutByACrash) {
  TempDir dir;
  std::string path = dir.Write("audit.jsonl", AuditRecordToJson(Record(1)) + "\n{\"ts\":\"20");
  auto file = AuditFile::Open(path);
  ASSERT_TRUE(file.ok());
  (*file)->CatchUp({Record(1), Record(2)});
  auto lines = Lines(path);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(*AuditRecordFromJson(lines[2]), Record(2));
}

TEST(AuditFileTest, ReopenFollowsALogrotateRename) {
  TempDir dir;
  std::string path = dir.File("audit.jsonl");
  auto file = AuditFile::Open(path);
  ASSERT_TRUE(file.ok());
  (*file)->Write(Record(1));
  ASSERT_EQ(::rename(path.c_str(), dir.File("audit.jsonl.1").c_str()), 0);
  ASSERT_TRUE((*file)->Reopen().ok());
  (*file)->Write(Record(2));
  EXPECT_EQ(Lines(dir.File("audit.jsonl.1")).size(), 1u);
  auto lines = Lines(path);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(*AuditRecordFromJson(lines[0]), Record(2));
}

TEST(AuditFileTest, ConcurrentWritersProduceWholeLines) {
  TempDir dir;
  auto file = AuditFile::Open(dir.File("audit.jsonl"));
  ASSERT_TRUE(file.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) (*file)->Write(Record(t * 100 + i));
    });
  }
  for (auto& th : threads) th.join();
  auto lines = Lines(dir.File("audit.jsonl"));
  ASSERT_EQ(lines.size(), 200u);
  for (const auto& line : lines) EXPECT_TRUE(AuditRecordFromJson(line).ok()) << line;
}

TEST(AuditFileTest, OpenFailsWithThePathWhenTheDirectoryIsMissing) {
  TempDir dir;
  auto file = AuditFile::Open(dir.File("missing/audit.jsonl"));
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), Status::Code::kIoError);
  EXPECT_NE(file.status().message().find("missing/audit.jsonl"), std::string::npos);
}

TEST(AuditFileTest, RefusesASymlinkAndLeavesItsTargetAlone) {
  TempDir dir;
  const std::string precious = dir.Write("precious", "keep me\n");
  ASSERT_EQ(::symlink(precious.c_str(), dir.File("audit.jsonl").c_str()), 0);
  auto file = AuditFile::Open(dir.File("audit.jsonl"));
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), Status::Code::kIoError);
  EXPECT_NE(file.status().message().find("symlink"), std::string::npos)
      << file.status().ToString();
  EXPECT_EQ(TempDir::Read(precious), "keep me\n");
}

TEST(AuditFileTest, CreatesTheFileWithoutWorldAccess) {
  TempDir dir;
  const mode_t old = ::umask(0);
  auto file = AuditFile::Open(dir.File("audit.jsonl"));
  ::umask(old);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  struct stat st {};
  ASSERT_EQ(::stat(dir.File("audit.jsonl").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

}  // namespace
}  // namespace rostersync
