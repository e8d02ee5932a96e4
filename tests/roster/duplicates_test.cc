// Duplicate rows: every row sharing a key, email, column username or sign-in identity
// (auth_service + auth_data) is rejected, with bounded messages and the people it names
// protected (rejected_keys / rejected_emails / rejected_usernames).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "roster/roster_loader.h"
#include "roster_test_util.h"

namespace rostersync {
namespace {

using testing::Column;
using testing::kHeader;
using testing::MapCsv;
using testing::TypicalFields;

size_t MessageBytes(const Roster& r) {
  size_t n = 0;
  for (const auto& e : r.rejected) n += e.reason.size() + e.where.size() + e.column.size();
  for (const auto& notice : r.notices) n += notice.size();
  return n;
}

std::string SameEmailRows(int n) {
  std::string csv = kHeader;
  for (int i = 1; i <= n; ++i) {
    csv += "E" + std::to_string(i) + ",First" + std::to_string(i) + ",Last,bomb@example.com,staff,active\n";
  }
  return csv;
}

std::string SameKeyRows(int n) {
  std::string csv = kHeader;
  for (int i = 1; i <= n; ++i) {
    csv += "E1,First" + std::to_string(i) + ",Last,p" + std::to_string(i) + "@example.com,staff,active\n";
  }
  return csv;
}

class DuplicateBombTest : public ::testing::TestWithParam<int> {};

TEST_P(DuplicateBombTest, SharedEmailMessagesStayBounded) {
  const int n = GetParam();
  Roster r = MapCsv(SameEmailRows(n));
  ASSERT_EQ(r.rejected.size(), static_cast<size_t>(n));
  EXPECT_TRUE(r.entries.empty());
  // Each message names a few rows and counts the rest: a few hundred bytes per row at most.
  EXPECT_LT(MessageBytes(r), static_cast<size_t>(n) * 400) << r.rejected[0].reason;
  const std::string& reason = r.rejected.back().reason;
  EXPECT_NE(reason.find("shared by " + std::to_string(n) + " rows"), std::string::npos) << reason;
  EXPECT_NE(reason.find("key E1 at roster.csv:2"), std::string::npos) << reason;
  EXPECT_NE(reason.find("and " + std::to_string(n - 3) + " more"), std::string::npos) << reason;
  EXPECT_EQ(r.rejected_emails.count("bomb@example.com"), 1u);
  EXPECT_EQ(r.rejected_keys.size(), static_cast<size_t>(n));
}

TEST_P(DuplicateBombTest, SharedKeyMessagesStayBounded) {
  const int n = GetParam();
  Roster r = MapCsv(SameKeyRows(n));
  ASSERT_EQ(r.rejected.size(), static_cast<size_t>(n));
  EXPECT_LT(MessageBytes(r), static_cast<size_t>(n) * 400) << r.rejected[0].reason;
  const std::string& reason = r.rejected[0].reason;
  EXPECT_NE(reason.find("roster.csv:2, roster.csv:3, roster.csv:4 and " + std::to_string(n - 3) +
                        " more"),
            std::string::npos)
      << reason;
  // Every person named by the clashing rows is protected, not only the key.
  EXPECT_EQ(r.rejected_emails.size(), static_cast<size_t>(n));
  EXPECT_EQ(r.rejected_emails.count("p1@example.com"), 1u);
}

INSTANTIATE_TEST_SUITE_P(Rows, DuplicateBombTest, ::testing::Values(3000, 10000));

FieldsConfig SsoFields() {
  FieldsConfig f = TypicalFields();
  f.specs["auth_service"] = Column("service");
  f.specs["auth_data"] = Column("sso_id");
  return f;
}

constexpr char kSsoHeader[] = "employee_id,first_name,last_name,email,kind,status,service,sso_id\n";

TEST(DuplicateAuthDataTest, SameSsoIdRejectsEveryRowInvolved) {
  Roster r = MapCsv(std::string(kSsoHeader) +
                        "E1,Alice,Ash,alice@example.com,staff,active,saml,id-1\n"
                        "E2,Bob,Birch,bob@example.com,staff,active,saml,id-1\n"
                        "E3,Carol,Cole,carol@example.com,staff,active,saml,id-3\n",
                    SsoFields());
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].key, "E3");
  ASSERT_EQ(r.rejected.size(), 2u);
  for (const auto& row : r.rejected) {
    EXPECT_EQ(row.column, "sso_id");
    EXPECT_NE(row.reason.find("key E1 at roster.csv:2, key E2 at roster.csv:3"), std::string::npos)
        << row.reason;
    EXPECT_NE(row.reason.find("auth_data 'id-1'"), std::string::npos) << row.reason;
  }
  EXPECT_EQ(r.rejected_keys, (std::set<std::string>{"E1", "E2"}));
  EXPECT_EQ(r.rejected_emails, (std::set<std::string>{"alice@example.com", "bob@example.com"}));
  EXPECT_EQ(r.rejected_usernames, (std::set<std::string>{"alice.ash", "bob.birch"}));
}

TEST(DuplicateAuthDataTest, SameIdUnderTwoServicesIsTwoIdentities) {
  Roster r = MapCsv(std::string(kSsoHeader) +
                        "E1,Alice,Ash,alice@example.com,staff,active,saml,id-1\n"
                        "E2,Bob,Birch,bob@example.com,staff,active,ldap,id-1\n",
                    SsoFields());
  EXPECT_EQ(r.entries.size(), 2u);
  EXPECT_TRUE(r.rejected.empty());
}

TEST(RejectedRowNamesTest, EveryRejectedRowProtectsItsEmailAndUsername) {
  FieldsConfig f = TypicalFields();
  f.specs["role"].default_value.reset();
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,Jane@Example.com,intern,active\n"
                    "E2,John,Roe,john@example.com,staff,sometimes\n"
                    "E3,Ann,Lee,ann@example.com,staff,active\n", f);
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.rejected_emails, (std::set<std::string>{"jane@example.com", "john@example.com"}));
  EXPECT_EQ(r.rejected_usernames, (std::set<std::string>{"jane.doe", "john.roe"}));
}

TEST(RejectedRowNamesTest, DuplicateEmailAndUsernameRowsAreProtected) {
  FieldsConfig f = TypicalFields();
  f.specs["username"] = Column("last_name", {"lower"});
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,jane@example.com,staff,active\n"
                    "E2,John,Doe,john@example.com,staff,active\n", f);
  EXPECT_EQ(r.rejected_usernames, (std::set<std::string>{"doe"}));
  EXPECT_EQ(r.rejected_emails, (std::set<std::string>{"jane@example.com", "john@example.com"}));
}

TEST(RejectedRowNamesTest, MissingColumnStillProtectsTheRowsPeople) {
  FieldsConfig f = TypicalFields();
  f.specs["position"] = Column("title");
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,jane@example.com,staff,active\n", f);
  EXPECT_FALSE(r.trusted);
  EXPECT_EQ(r.rejected_emails.count("jane@example.com"), 1u);
  EXPECT_EQ(r.rejected_usernames.count("jane.doe"), 1u);
}

TEST(RejectedRowNamesTest, FillDownKeySlipProtectsThePeopleBehindTheRows) {
  // A spreadsheet fill-down overwrote E2's and E3's ids with E4: the three rows are rejected,
  // and the emails and usernames in them name the real people, who must not be deactivated.
  FieldsConfig f = TypicalFields();
  Roster r = MapCsv(std::string(kHeader) + "E1,Ann,Lee,ann@example.com,staff,active\n"
                    "E4,Bob,Ek,bob@example.com,staff,active\n"
                    "E4,Cid,Moe,cid@example.com,staff,active\n"
                    "E4,Dee,Roe,dee@example.com,staff,active\n",
                    f);
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.rejected.size(), 3u);
  EXPECT_EQ(r.rejected_keys, (std::set<std::string>{"E4"}));
  EXPECT_EQ(r.rejected_emails,
            (std::set<std::string>{"bob@example.com", "cid@example.com", "dee@example.com"}));
  EXPECT_EQ(r.rejected_usernames, (std::set<std::string>{"bob.ek", "cid.moe", "dee.roe"}));
}

}  // namespace
TEST(RejectedRowNamesTest, RejectedWhereNamesTheRowOfEachEmailAndUsername) {
  // The planner names the row when it holds a change: each protected email and username maps
  // to the file:line it was read from, both for an invalid row and for a duplicate group.
  FieldsConfig f = TypicalFields();
  f.specs["role"].default_value.reset();
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,Jane@Example.com,intern,active\n"
                    "E4,Bob,Ek,bob@example.com,staff,active\n"
                    "E4,Cid,Moe,cid@example.com,staff,active\n",
                    f);
  EXPECT_EQ(r.rejected_where, (std::map<std::string, std::string>{
                                  {"jane@example.com", "roster.csv:2"},
                                  {"jane.doe", "roster.csv:2"},
                                  {"bob@example.com", "roster.csv:3"},
                                  {"bob.ek", "roster.csv:3"},
                                  {"cid@example.com", "roster.csv:4"},
                                  {"cid.moe", "roster.csv:4"},
                              }));
}

}  // namespace rostersync
