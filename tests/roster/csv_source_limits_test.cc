// The CSV source reads only whole regular files within roster.limits, in the configured
// encoding: a FIFO, /dev/zero or a /proc file is refused at once (never a hang), an
// oversized file, row, cell or key is named, and a file that is not UTF-8 is refused whole.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <string>

#include "roster/csv_source.h"
#include "roster/roster_loader.h"
#include "roster_test_util.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

Config ConfigFor(const std::string& path) {
  Config config;
  config.roster.csv.path = path;
  config.fields = testing::TypicalFields();
  return config;
}

Result<Roster> Load(const Config& config) {
  auto source = MakeRosterSource(config.roster);
  if (!source.ok()) return source.status();
  return LoadRoster(**source, config, std::nullopt, 0);
}

TEST(CsvSourceLimitsTest, FifoIsRefusedWithoutWaitingForAWriter) {
  testing::TempDir dir;
  const std::string path = dir.File("roster.csv");
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  Result<Roster> r = Load(ConfigFor(path));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIoError);
  EXPECT_NE(r.status().message().find("is a FIFO (named pipe)"), std::string::npos)
      << r.status().message();
}

TEST(CsvSourceLimitsTest, DevZeroAndProcFilesAreRefused) {
  Result<Roster> zero = Load(ConfigFor("/dev/zero"));
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.status().message().find("is a character device"), std::string::npos)
      << zero.status().message();
  Result<Roster> proc = Load(ConfigFor("/proc/self/status"));
  ASSERT_FALSE(proc.ok());
  EXPECT_NE(proc.status().message().find("/proc or /sys file"), std::string::npos)
      << proc.status().message();
  Result<Roster> dir = Load(ConfigFor("/tmp"));
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.status().message().find("is a directory"), std::string::npos);
}

TEST(CsvSourceLimitsTest, FileOverTheSizeLimitIsRefusedWhole) {
  testing::TempDir dir;
  std::string body = testing::kHeader;
  for (int i = 0; i < 100; ++i) {
    body += "E" + std::to_string(i) + ",Jane,Doe,j" + std::to_string(i) + "@example.com,staff,active\n";
  }
  Config config = ConfigFor(dir.Write("roster.csv", body));
  config.roster.limits.max_file_bytes = 1000;
  Result<Roster> r = Load(config);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("more than roster.limits.max_file_bytes (1000)"),
            std::string::npos)
      << r.status().message();
  config.roster.limits.max_file_bytes = 1 << 20;
  EXPECT_TRUE(Load(config).ok());
}

TEST(CsvSourceLimitsTest, LongRowFieldAndKeyRejectTheirRowsOnly) {
  testing::TempDir dir;
  const std::string body = std::string(testing::kHeader) +
                           "E1,Jane,Doe,jane@example.com,staff,active\n"
                           "E2," + std::string(3000, 'x') + ",Roe,john@example.com,staff,active\n" +
                           std::string(600, 'K') + ",Ann,Lee,ann@example.com,staff,active\n" +
                           "E4,\"" + std::string(20'000, 'y') + "\",Lee,long@example.com,staff,active\n" +
                           "E5,Bo,Ek,bo@example.com,staff,active\n";
  Config config = ConfigFor(dir.Write("roster.csv", body));
  config.roster.limits.max_field_bytes = 2000;
  config.roster.limits.max_row_bytes = 10'000;
  config.roster.limits.max_key_bytes = 256;
  Result<Roster> r = Load(config);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->entries.size(), 2u);
  ASSERT_EQ(r->rejected.size(), 3u);
  std::string all;
  for (const auto& row : r->rejected) all += row.where + " " + row.reason + "\n";
  EXPECT_NE(all.find(":3 the value is 3000 bytes, more than 2000 (roster.limits.max_field_bytes)"),
            std::string::npos) << all;
  EXPECT_NE(all.find(":4 the key is 600 bytes, more than 256 (roster.limits.max_key_bytes)"),
            std::string::npos) << all;
  EXPECT_NE(all.find(":5 the row is longer than 10000 bytes (roster.limits.max_row_bytes)"),
            std::string::npos) << all;
  EXPECT_EQ(r->rejected_keys.count("E2"), 1u);  // the long cell's row keeps its key
}

// What Excel's "CSV (Comma delimited)" writes: Windows-1252 bytes. "Małgorzata" has no ł in
// Windows-1252, so Excel has already written it as "Ma?gorzata".
const std::string kCp1252 = std::string(testing::kHeader) +
                            "E1,Ma?gorzata,Miller,malgorzata.miller@example.com,staff,active\n"
                            "E2,Jos\xE9,\xD1\xFA\xF1" "ez,jose@example.com,staff,active\n"
                            "E3,\x8A\xE1rka,Nov\xE1kov\xE1,sarka@example.com,staff,active\n";

TEST(CsvSourceLimitsTest, Windows1252FileIsRefusedWholeWhenUtf8IsExpected) {
  testing::TempDir dir;
  Result<Roster> r = Load(ConfigFor(dir.Write("roster.csv", kCp1252)));
  ASSERT_FALSE(r.ok());  // the caller exits 1: nothing is created, renamed or deactivated
  EXPECT_EQ(r.status().message(),
            "roster.csv is not UTF-8 (looks like Windows-1252; first bad byte on line 3); "
            "re-export as UTF-8 or set roster.csv.encoding: windows-1252 (nothing was applied)");
}

TEST(CsvSourceLimitsTest, Windows1252EncodingIsConvertedToUtf8) {
  testing::TempDir dir;
  Config config = ConfigFor(dir.Write("roster.csv", kCp1252));
  config.roster.csv.encoding = "windows-1252";
  Result<Roster> r = Load(config);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->entries.size(), 3u);
  EXPECT_EQ(r->entries[1].first_name, "José");
  EXPECT_EQ(r->entries[1].last_name, "Ñúñez");
  EXPECT_EQ(r->entries[2].first_name, "Šárka");
  EXPECT_EQ(r->entries[2].last_name, "Nováková");
}

TEST(CsvSourceLimitsTest, Iso88591EncodingIsConvertedToUtf8) {
  testing::TempDir dir;
  Config config = ConfigFor(dir.Write(
      "roster.csv", std::string(testing::kHeader) + "E1,\xD8yvind,\xC5sheim,o@example.com,staff,active\n"));
  config.roster.csv.encoding = "iso-8859-1";
  Result<Roster> r = Load(config);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->entries.size(), 1u);
  EXPECT_EQ(r->entries[0].first_name, "Øyvind");
  EXPECT_EQ(r->entries[0].last_name, "Åsheim");
}

}  // namespace
}  // namespace rostersync
