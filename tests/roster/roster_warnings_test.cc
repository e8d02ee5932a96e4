// A problem of every row is said once with a count: a missing column, a blank status
// column, a wrong delimiter; check-config reads the header and names missing columns.
#include <gtest/gtest.h>

#include <string>

#include "roster/roster_loader.h"
#include "roster_test_util.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

using testing::Column;
using testing::kHeader;
using testing::MapCsv;
using testing::TypicalFields;

std::string Rows(int n, const std::string& status, char delimiter = ',') {
  std::string csv;
  for (int i = 1; i <= n; ++i) {
    std::string row = "E" + std::to_string(i) + ",F" + std::to_string(i) + ",L,p" +
                      std::to_string(i) + "@example.com,staff," + status + "\n";
    for (char& c : row) {
      if (c == ',') c = delimiter;
    }
    csv += row;
  }
  return csv;
}

TEST(RosterWarningsTest, WrongDelimiterIsNamedAsSuch) {
  std::string header = kHeader;
  for (char& c : header) {
    if (c == ',') c = ';';
  }
  Roster r = MapCsv(header + Rows(4, "active", ';'));
  EXPECT_FALSE(r.trusted);
  ASSERT_EQ(r.untrusted_reasons.size(), 1u);
  EXPECT_NE(r.untrusted_reasons[0].find("the header was read as one column ('employee_id;first_name"),
            std::string::npos) << r.untrusted_reasons[0];
  EXPECT_NE(r.untrusted_reasons[0].find("looks ';'-separated; set roster.csv.delimiter: \";\""),
            std::string::npos) << r.untrusted_reasons[0];
  EXPECT_NE(r.untrusted_reasons[0].find("all 4 rows rejected"), std::string::npos);
}

TEST(RosterWarningsTest, MissingColumnIsSaidOnceWithTheCount) {
  FieldsConfig f = TypicalFields();
  f.specs["position"] = Column("title");
  Roster r = MapCsv(std::string(kHeader) + Rows(300, "active"), f);
  ASSERT_EQ(r.untrusted_reasons.size(), 1u);
  EXPECT_NE(r.untrusted_reasons[0].find("'title'"), std::string::npos) << r.untrusted_reasons[0];
  EXPECT_NE(r.untrusted_reasons[0].find("all 300 rows rejected"), std::string::npos);
  const std::vector<std::string> summary = SummarizeRejected(r);
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(summary[0].rfind("300 rows rejected: ", 0), 0u) << summary[0];
  EXPECT_NE(summary[0].find("(roster.csv:2, roster.csv:3, roster.csv:4 and 297 more)"),
            std::string::npos) << summary[0];
}

TEST(RosterWarningsTest, BlankStatusColumnIsOneUntrustedReasonWithTheCount) {
  Roster r = MapCsv(std::string(kHeader) + Rows(250, ""));
  EXPECT_FALSE(r.trusted);
  ASSERT_EQ(r.untrusted_reasons.size(), 1u);
  EXPECT_EQ(r.untrusted_reasons[0],
            "column 'status' (fields.active) is blank on all 250 rows; check the export's status "
            "column: deactivations held");
  EXPECT_EQ(SummarizeRejected(r).size(), 1u);
  EXPECT_EQ(r.rejected_emails.size(), 250u);  // still protected, row by row
}

TEST(RosterWarningsTest, SummaryIsBoundedInLines) {
  std::string csv = kHeader;
  for (int i = 0; i < 50; ++i) {
    csv += "E" + std::to_string(i) + ",F,L,p" + std::to_string(i) + "@example.com,staff,odd" +
           std::to_string(i) + "\n";
  }
  const std::vector<std::string> summary = SummarizeRejected(MapCsv(csv), 10);
  ASSERT_EQ(summary.size(), 10u);
  EXPECT_EQ(summary.back(), "and 41 other reasons (see the plan)");
}

Config HeaderConfig(const std::string& path) {
  Config config;
  config.roster.csv.path = path;
  config.fields = TypicalFields();
  return config;
}

TEST(CheckRosterHeaderTest, NamesMappedColumnsMissingFromTheFile) {
  testing::TempDir dir;
  Config config = HeaderConfig(dir.Write("roster.csv", std::string(kHeader) + Rows(3, "active")));
  EXPECT_TRUE(CheckRosterHeader(config).empty());
  config.fields.specs["position"] = Column("title");
  const std::vector<std::string> problems = CheckRosterHeader(config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("'title'"), std::string::npos) << problems[0];
  config.roster.key = "person_id";
  EXPECT_EQ(CheckRosterHeader(config).size(), 2u);
}

TEST(CheckRosterHeaderTest, NamesAWrongDelimiterAndSkipsWhatItCannotRead) {
  testing::TempDir dir;
  Config config = HeaderConfig(dir.Write("roster.csv", "employee_id\tfirst_name\temail\nE1\tA\ta@x\n"));
  const std::vector<std::string> problems = CheckRosterHeader(config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("looks tab-separated"), std::string::npos) << problems[0];
  EXPECT_TRUE(CheckRosterHeader(HeaderConfig(dir.File("missing.csv"))).empty());
  EXPECT_TRUE(CheckRosterHeader(HeaderConfig("/dev/zero")).empty());
}

}  // namespace
}  // namespace rostersync
