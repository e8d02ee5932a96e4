// The malformed-input corpus: every case names the row, the line and the gate decision.
#include "roster/csv_table.h"

#include <gtest/gtest.h>

#include "roster_test_util.h"

namespace rostersync {
namespace {

using testing::kHeader;
using testing::MapCsv;

Result<RawTable> Table(const std::string& csv, bool header = true, char delimiter = ',') {
  CsvOptions options;
  options.origin = "roster.csv";
  options.header = header;
  options.delimiter = delimiter;
  options.key_column = "employee_id";
  return ParseCsvTable(csv, options);
}

void Gate(Roster* roster, int64_t min_rows = 1) {
  RosterConfig config;
  config.min_rows = min_rows;
  ApplyIntegrityGate(roster, config, Threshold{}, std::nullopt, 0, 0);
}

TEST(CsvTableTest, MatchesHeaderNamesCaseInsensitivelyAndTrimmed) {
  Roster r = MapCsv(" Employee_ID , FIRST_NAME,Last_Name,EMAIL,kind,status\n"
                    "E1,Jane,Doe,Jane.Doe@Example.com,staff,active\n");
  ASSERT_EQ(r.entries.size(), 1u) << (r.rejected.empty() ? "" : r.rejected[0].reason);
  EXPECT_EQ(r.entries[0].email, "jane.doe@example.com");
  EXPECT_EQ(r.entries[0].username, "jane.doe");
}

TEST(CsvTableTest, ReadsBomAndCrlfExports) {
  Roster r = MapCsv("\xEF\xBB\xBF" "employee_id,first_name,last_name,email,kind,status\r\n"
                    "E1,Jane,Doe,jane@example.com,staff,active\r\n"
                    "E2,John,Roe,john@example.com,admin,leave\r\n");
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_EQ(r.entries[1].where, "roster.csv:3");
  EXPECT_EQ(r.entries[1].role, Role::kAdmin);
  EXPECT_TRUE(r.rejected.empty());
}

TEST(CsvTableTest, KeepsEmbeddedNewlinesAndReportsTheStartLineOfLaterRows) {
  Roster r = MapCsv(std::string(kHeader) +
                    "E1,\"Jane\nMarie\",Doe,jane@example.com,staff,active\n"
                    "E2,John,Roe,JOHN@example.com,staff,bogus\n");
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].first_name, "Jane\nMarie");
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].where, "roster.csv:4");
  EXPECT_EQ(r.rejected[0].key, "E2");
  EXPECT_EQ(r.rejected[0].column, "status");
  EXPECT_NE(r.rejected[0].reason.find("active, leave"), std::string::npos);
}

TEST(CsvTableTest, RejectsRowWithWrongCellCountAndHoldsDeactivations) {
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,jane@example.com,staff,active\n"
                    "E2,Smith, John,Roe,john@example.com,staff,active\n");
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].where, "roster.csv:3");
  EXPECT_NE(r.rejected[0].reason.find("7 cells but the header has 6"), std::string::npos);
  Gate(&r);
  EXPECT_FALSE(r.trusted);  // the person in line 3 cannot be protected by key
}

TEST(CsvTableTest, RejectsTruncatedLastLineWithUnterminatedQuote) {
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,jane@example.com,staff,active\n"
                    "E2,\"John,Ro");
  ASSERT_EQ(r.entries.size(), 1u);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].where, "roster.csv:3");
  EXPECT_NE(r.rejected[0].reason.find("unterminated quote"), std::string::npos);
  Gate(&r);
  EXPECT_FALSE(r.trusted);
}

TEST(CsvTableTest, InvalidUtf8RejectsTheWholeFileInOneLine) {
  CsvOptions options;
  options.origin = "/srv/hr/roster.csv";
  options.key_column = "employee_id";
  Result<RawTable> t = ParseCsvTable(std::string(kHeader) +
                                         "E1,John,Roe,john@example.com,staff,active\n"
                                         "E2,Jos\xE9,Doe,jose@example.com,staff,active\n",
                                     options);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(),
            "roster.csv is not UTF-8 (looks like Windows-1252; first bad byte on line 3); "
            "re-export as UTF-8 or set roster.csv.encoding: windows-1252 (nothing was applied)");
}

TEST(CsvTableTest, AcceptsUnicodeNamesAndTransliteratesUsernames) {
  Roster r = MapCsv(std::string(kHeader) + "E1,José,Ñúñez,jose@example.com,staff,active\n"
                    "E2,Øyvind,Åsheim,oyvind@example.com,staff,active\n");
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_EQ(r.entries[0].username, "jose.nunez");
  EXPECT_EQ(r.entries[0].first_name, "José");
  EXPECT_EQ(r.entries[1].username, "oyvind.asheim");
}

TEST(CsvTableTest, EmptyFileGivesNoRowsAndAnUntrustedRoster) {
  Roster r = MapCsv("");
  EXPECT_TRUE(r.entries.empty());
  Gate(&r);
  EXPECT_FALSE(r.trusted);
  ASSERT_FALSE(r.untrusted_reasons.empty());
  // Says the file is empty, not that the key column is missing from its (absent) header.
  EXPECT_EQ(r.untrusted_reasons[0].rfind("roster.csv is empty (0 bytes): ", 0), 0u)
      << r.untrusted_reasons[0];
}

TEST(CsvTableTest, HeaderOnlyIsTooFewRows) {
  Roster r = MapCsv(kHeader);
  Gate(&r);
  EXPECT_FALSE(r.trusted);
  ASSERT_EQ(r.untrusted_reasons.size(), 1u);
  EXPECT_NE(r.untrusted_reasons[0].find("roster.min_rows=1"), std::string::npos);
}

TEST(CsvTableTest, MissingMappedColumnRejectsEveryRowAndHolds) {
  Roster r = MapCsv("employee_id,first_name,email,kind,status\n"
                    "E1,Jane,jane@example.com,staff,active\n");
  EXPECT_TRUE(r.entries.empty());
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].key, "E1");
  EXPECT_NE(r.rejected[0].reason.find("'last_name'"), std::string::npos);
  EXPECT_FALSE(r.trusted);
}

TEST(CsvTableTest, BinaryGarbageNeverCrashesAndIsNotTrusted) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919 + 13) % 256));
  Roster r = MapCsv(garbage);
  Gate(&r);
  EXPECT_FALSE(r.trusted);
  EXPECT_TRUE(r.entries.empty());
}

TEST(CsvTableTest, DuplicateHeaderColumnIsAnError) {
  auto t = Table("id,ID\n1,2\n");
  EXPECT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("twice"), std::string::npos);
}

TEST(CsvTableTest, HeaderFalseNamesColumnsByPosition) {
  auto t = Table("E1,Jane\nE2,John\n", false);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->columns, (std::vector<std::string>{"1", "2"}));
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->Where(t->rows[0]), "roster.csv:1");
}

TEST(CsvTableTest, SkipsBlankLinesAndEmptyTrailingRows) {
  auto t = Table("a,b\n\n1,2\n,\n\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows.size(), 1u);
  EXPECT_TRUE(t->errors.empty());
}

TEST(CsvTableTest, FingerprintFollowsContent) {
  auto a = Table("a,b\n1,2\n"), b = Table("a,b\n1,3\n"), c = Table("a,b\n1,2\n");
  EXPECT_NE(a->fingerprint, b->fingerprint);
  EXPECT_EQ(a->fingerprint, c->fingerprint);
}

}  // namespace
}  // namespace rostersync
