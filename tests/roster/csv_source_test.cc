#include "roster/csv_source.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "roster/roster_loader.h"
#include "roster_test_util.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

Config TypicalConfig(const std::string& path) {
  Config config;
  config.roster.csv.path = path;
  config.fields = testing::TypicalFields();
  return config;
}

TEST(CsvSourceTest, LoadsAFileWithItsPathAndLineInEveryWhere) {
  testing::TempDir dir;
  std::string body = testing::kHeader;
  for (int i = 0; i < 5000; ++i) {  // larger than one 64 KiB read chunk
    body += "E" + std::to_string(i) + ",Jane,\"Doe, " + std::to_string(i) + "\",j" +
            std::to_string(i) + "@example.com,staff,active\n";
  }
  const std::string path = dir.Write("roster.csv", body);
  Config config = TypicalConfig(path);
  auto source = MakeRosterSource(config.roster);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->Describe(), "csv:" + path);
  auto roster = LoadRoster(**source, config, std::nullopt, 0);
  ASSERT_TRUE(roster.ok()) << roster.status().ToString();
  ASSERT_EQ(roster->entries.size(), 5000u);
  EXPECT_EQ(roster->entries[4999].where, path + ":5001");
  EXPECT_EQ(roster->entries[4999].last_name, "Doe, 4999");
  EXPECT_TRUE(roster->trusted);
}

TEST(CsvSourceTest, MissingFileIsAnIoErrorNamingThePath) {
  testing::TempDir dir;
  Config config = TypicalConfig(dir.File("nope.csv"));
  auto source = MakeRosterSource(config.roster);
  ASSERT_TRUE(source.ok());
  auto roster = LoadRoster(**source, config, std::nullopt, 0);
  ASSERT_FALSE(roster.ok());
  EXPECT_EQ(roster.status().code(), Status::Code::kIoError);
  EXPECT_NE(roster.status().message().find("nope.csv"), std::string::npos);
}

TEST(CsvSourceTest, ZeroByteFileSaysItIsEmptyNotThatTheKeyColumnIsMissing) {
  testing::TempDir dir;
  const std::string path = dir.Write("roster.csv", "");
  Config config = TypicalConfig(path);
  auto source = MakeRosterSource(config.roster);
  ASSERT_TRUE(source.ok());
  auto roster = LoadRoster(**source, config, std::nullopt, 0);
  ASSERT_TRUE(roster.ok()) << roster.status().ToString();  // held (exit 4), not an error
  EXPECT_FALSE(roster->trusted);
  ASSERT_FALSE(roster->untrusted_reasons.empty());
  const std::string& why = roster->untrusted_reasons[0];
  EXPECT_EQ(why.rfind("roster.csv is empty (0 bytes): ", 0), 0u) << why;
  EXPECT_NE(why.find(path), std::string::npos) << why;  // says which file to fix
  for (const std::string& reason : roster->untrusted_reasons) {
    EXPECT_EQ(reason.find("key column"), std::string::npos) << reason;
  }
}

TEST(CsvSourceTest, BlankFileSaysItHasNoHeaderLine) {
  testing::TempDir dir;
  const std::string path = dir.Write("roster.csv", "\n\n");
  Config config = TypicalConfig(path);
  auto source = MakeRosterSource(config.roster);
  ASSERT_TRUE(source.ok());
  auto roster = LoadRoster(**source, config, std::nullopt, 0);
  ASSERT_TRUE(roster.ok()) << roster.status().ToString();
  EXPECT_FALSE(roster->trusted);
  ASSERT_FALSE(roster->untrusted_reasons.empty());
  EXPECT_NE(roster->untrusted_reasons[0].find("no header line"), std::string::npos)
      << roster->untrusted_reasons[0];
}

TEST(CsvSourceTest, StaleFileByMtimeHoldsDeactivations) {
  testing::TempDir dir;
  const std::string path = dir.Write(
      "roster.csv", std::string(testing::kHeader) + "E1,Jane,Doe,j@example.com,staff,active\n");
  struct timeval times[2] = {{1'000'000, 0}, {1'000'000, 0}};
  ASSERT_EQ(utimes(path.c_str(), times), 0);
  Config config = TypicalConfig(path);
  config.roster.max_age_ms = 3600 * 1000;
  auto source = MakeRosterSource(config.roster);
  ASSERT_TRUE(source.ok());
  auto roster = LoadRoster(**source, config, std::nullopt, 1'000'000LL * 1000 + 7200 * 1000);
  ASSERT_TRUE(roster.ok());
  EXPECT_FALSE(roster->trusted);
  EXPECT_NE(roster->untrusted_reasons[0].find("roster.max_age=1h 0m"), std::string::npos);
}

TEST(CsvSourceTest, RejectsBadSourceConfigs) {
  RosterConfig config;
  config.source = "ldap";
  EXPECT_FALSE(MakeRosterSource(config).ok());
  config.source = "csv";
  config.csv.delimiter = '"';
  EXPECT_FALSE(MakeRosterSource(config).ok());
  config = RosterConfig();
  config.key = "";
  EXPECT_FALSE(MakeRosterSource(config).ok());
}

}  // namespace
}  // namespace rostersync
