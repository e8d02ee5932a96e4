#include <gtest/gtest.h>

#include "roster/roster_loader.h"
#include "roster_test_util.h"

namespace rostersync {
namespace {

using testing::Column;
using testing::kHeader;
using testing::MapCsv;
using testing::TypicalFields;

const RowError* FindRejected(const Roster& r, const std::string& where) {
  for (const auto& e : r.rejected) {
    if (e.where == where) return &e;
  }
  return nullptr;
}

TEST(MapRosterTest, MapsColumnsTemplatesConstantsMapsAndStatus) {
  FieldsConfig f = TypicalFields();
  f.specs["locale"].value = "en";
  f.specs["auth_service"].value = "saml";
  f.specs["auth_data"] = Column("email");
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,jane@example.com,contractor,Terminated\n"
                    "E2,Jim,Beam,jim@example.com,,active\n", f);
  ASSERT_EQ(r.entries.size(), 2u) << r.rejected[0].reason;
  const RosterEntry& e = r.entries[0];
  EXPECT_EQ(e.key, "E1");
  EXPECT_EQ(e.username, "jane.doe");
  EXPECT_EQ(e.locale, "en");
  EXPECT_EQ(e.auth_service, "saml");
  EXPECT_EQ(e.auth_data, "jane@example.com");
  EXPECT_EQ(e.role, Role::kGuest);
  EXPECT_FALSE(e.active);
  EXPECT_EQ(r.entries[1].role, Role::kUser);  // empty -> default
  EXPECT_TRUE(r.entries[1].active);
  EXPECT_EQ(r.row_count, 2);
}

TEST(MapRosterTest, CarriesTheColumnsMembershipReadsTrimmed) {
  FieldsConfig f = TypicalFields();
  f.attribute_columns = {"STATUS", "department"};
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,jane@example.com,,active \n", f);
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].attributes,
            (std::map<std::string, std::string>{{"STATUS", "active"}}));
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_NE(r.notices[0].find("column 'department' (membership) is not in the roster header"),
            std::string::npos);
  EXPECT_TRUE(MapCsv(std::string(kHeader) + "E1,Jane,Doe,jane@example.com,,active\n",
                     TypicalFields()).entries[0].attributes.empty());
}

TEST(MapRosterTest, RejectsUnmappedRoleWithoutDefaultNamingTheAllowedValues) {
  FieldsConfig f = TypicalFields();
  f.specs["role"].default_value.reset();
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,jane@example.com,intern,active\n", f);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].column, "kind");
  EXPECT_NE(r.rejected[0].reason.find("'intern'"), std::string::npos);
  EXPECT_NE(r.rejected[0].reason.find("admin, contractor, staff"), std::string::npos);
}

TEST(MapRosterTest, DuplicateKeysRejectEveryRowInvolved) {
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,jane@example.com,staff,active\n"
                    "E1,John,Roe,john@example.com,staff,active\n"
                    "E2,Ann,Lee,ann@example.com,staff,active\n");
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].key, "E2");
  ASSERT_NE(FindRejected(r, "roster.csv:2"), nullptr);
  ASSERT_NE(FindRejected(r, "roster.csv:3"), nullptr);
  EXPECT_NE(FindRejected(r, "roster.csv:3")->reason.find("roster.csv:2, roster.csv:3"),
            std::string::npos);
  EXPECT_EQ(r.rejected_keys.count("E1"), 1u);
}

TEST(MapRosterTest, DuplicateEmailsRejectEveryRowInvolved) {
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,same@example.com,staff,active\n"
                    "E2,John,Roe,SAME@example.com,staff,active\n");
  EXPECT_TRUE(r.entries.empty());
  ASSERT_EQ(r.rejected.size(), 2u);
  EXPECT_EQ(r.rejected[0].column, "email");
  EXPECT_EQ(r.rejected_keys.size(), 2u);
}

TEST(MapRosterTest, DuplicateUsernamesFromAColumnRejectEveryRowInvolved) {
  FieldsConfig f = TypicalFields();
  f.specs["username"] = Column("last_name", {"lower"});
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,jane@example.com,staff,active\n"
                    "E2,John,Doe,john@example.com,staff,active\n", f);
  EXPECT_TRUE(r.entries.empty());
  EXPECT_EQ(r.rejected.size(), 2u);
}

TEST(MapRosterTest, ResolvesTemplateUsernameCollisionsByKeyOrder) {
  Roster r = MapCsv(std::string(kHeader) + "10,John,Smith,j10@example.com,staff,active\n"
                    "9,John,Smith,j9@example.com,staff,active\n"
                    "11,John,Smith,j11@example.com,staff,active\n"
                    "12,John,Smith2,j12@example.com,staff,active\n");
  ASSERT_EQ(r.entries.size(), 4u);
  std::map<std::string, std::string> by_key;
  for (const auto& e : r.entries) by_key[e.key] = e.username;
  EXPECT_EQ(by_key["9"], "john.smith");
  EXPECT_EQ(by_key["10"], "john.smith3");  // john.smith2 is someone's own name
  EXPECT_EQ(by_key["11"], "john.smith4");
  EXPECT_EQ(by_key["12"], "john.smith2");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_NE(r.notices[0].find("key 9 keeps it"), std::string::npos);
}

TEST(MapRosterTest, CollisionResolutionDoesNotDependOnRowOrder) {
  Roster a = MapCsv(std::string(kHeader) + "E2,Ann,Lee,a2@example.com,staff,active\n"
                    "E1,Ann,Lee,a1@example.com,staff,active\n");
  Roster b = MapCsv(std::string(kHeader) + "E1,Ann,Lee,a1@example.com,staff,active\n"
                    "E2,Ann,Lee,a2@example.com,staff,active\n");
  EXPECT_EQ(RosterDigest(a), RosterDigest(b));
}

TEST(MapRosterTest, ValidatesAgainstServerRulesWithColumnAndAdvice) {
  FieldsConfig f = TypicalFields();
  f.specs["username"] = Column("first_name");
  f.specs["auth_data"] = Column("status");
  f.specs.erase("active");
  Roster r = MapCsv(std::string(kHeader) +
                    "E1,Jane Doe,Doe,jane@example.com,staff,x\n"       // bad username chars
                    "E2,all,Doe,all@example.com,staff,x\n"             // reserved
                    "E3,ok,Doe,Jane <j@example.com>,staff,x\n"         // display name
                    "E4,ok4," + std::string(65, 'x') + ",e4@example.com,staff,x\n"
                    "E5,ok5,Doe,e5@example.com,staff,x\n"              // auth_data w/o service
                    "E6,ok6,Doe,e6@example.com,staff,\n",
                    f);
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].key, "E6");
  EXPECT_EQ(FindRejected(r, "roster.csv:2")->column, "first_name");
  EXPECT_NE(FindRejected(r, "roster.csv:2")->reason.find("mattermost_username"), std::string::npos);
  EXPECT_NE(FindRejected(r, "roster.csv:3")->reason.find("reserved"), std::string::npos);
  EXPECT_EQ(FindRejected(r, "roster.csv:4")->column, "email");
  EXPECT_NE(FindRejected(r, "roster.csv:5")->reason.find("65 characters"), std::string::npos);
  EXPECT_EQ(FindRejected(r, "roster.csv:6")->column, "status");
  EXPECT_NE(FindRejected(r, "roster.csv:6")->reason.find("auth_service"), std::string::npos);
}

TEST(MapRosterTest, RejectsBadDatesAndUnknownAuthService) {
  FieldsConfig f = TypicalFields();
  f.specs["start_date"] = Column("kind");
  f.specs.erase("role");
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,jane@example.com,2024-02-30,active\n"
                    "E2,John,Roe,john@example.com,2024-03-01,active\n", f);
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].start_date, "2024-03-01");
  EXPECT_EQ(r.rejected[0].column, "kind");
  EXPECT_NE(r.rejected[0].reason.find("YYYY-MM-DD"), std::string::npos);

  FieldsConfig g = TypicalFields();
  g.specs["auth_service"].value = "kerberos";
  Roster s = MapCsv(std::string(kHeader) + "E1,Jane,Doe,jane@example.com,staff,active\n", g);
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0].column, "fields.auth_service");
}

TEST(MapRosterTest, EmptyKeyIsRejected) {
  Roster r = MapCsv(std::string(kHeader) + " ,Jane,Doe,jane@example.com,staff,active\n");
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].column, "employee_id");
  EXPECT_TRUE(r.rejected[0].key.empty());
}

TEST(MapRosterTest, DefaultActiveValuesApplyWhenNoListsAreGiven) {
  FieldsConfig f = TypicalFields();
  f.specs["active"].true_values.clear();
  f.specs["active"].false_values.clear();
  Roster r = MapCsv(std::string(kHeader) + "E1,Jane,Doe,jane@example.com,staff,Yes\n"
                    "E2,John,Roe,john@example.com,staff,0\n", f);
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_TRUE(r.entries[0].active);
  EXPECT_FALSE(r.entries[1].active);
}

TEST(MapRosterTest, CjkOnlyNameGetsAnAsciiUsernameNotARejectedRow) {
  Roster r = MapCsv(std::string(kHeader) + "E1,秀英,王,wang@example.com,staff,active\n"
                    "E2,Hương,Nguyễn Thị,huong@example.com,staff,active\n");
  ASSERT_EQ(r.entries.size(), 2u) << (r.rejected.empty() ? "" : r.rejected[0].reason);
  EXPECT_EQ(r.entries[0].username, "xiu.ying.wang");
  EXPECT_EQ(r.entries[0].first_name, "秀英");
  EXPECT_EQ(r.entries[1].username, "huong.nguyen.thi");
}

TEST(MapRosterTest, TrimsColumnValuesAndCleansNamesLikeTheServer) {
  FieldsConfig f = TypicalFields();
  f.specs["nickname"] = Column("first_name");
  Roster r = MapCsv(std::string(kHeader) +
                        "E1,  Jane\xE2\x80\xAE ,\xEF\xBB\xBF" "Doe\xE2\x80\x8B, jane@example.com ,staff,active\n",
                    f);
  ASSERT_EQ(r.entries.size(), 1u) << (r.rejected.empty() ? "" : r.rejected[0].reason);
  EXPECT_EQ(r.entries[0].first_name, "Jane");
  EXPECT_EQ(r.entries[0].nickname, "Jane");
  EXPECT_EQ(r.entries[0].last_name, "Doe\xE2\x80\x8B");  // U+200B is kept by the server
  EXPECT_EQ(r.entries[0].email, "jane@example.com");
}

TEST(MapRosterTest, UnsupportedLocaleIsLeftUnsetWithOneNoticeForAllItsRows) {
  FieldsConfig f = TypicalFields();
  f.specs["locale"] = Column("kind");
  f.specs["role"].column = "status";
  f.specs["role"].map = {{"active", "system_user"}};
  std::string csv = std::string(kHeader) + "E0,Ana,Silva,ana@example.com,pt_br,active\n";
  for (int i = 1; i <= 5; ++i) {
    csv += "E" + std::to_string(i) + ",P,Q" + std::to_string(i) + ",p" + std::to_string(i) +
           "@example.com,klingon,active\n";
  }
  Roster r = MapCsv(csv, f);
  ASSERT_EQ(r.entries.size(), 6u) << (r.rejected.empty() ? "" : r.rejected[0].reason);
  EXPECT_EQ(r.entries[0].locale, "pt-BR");
  EXPECT_EQ(r.entries[1].locale, "");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0],
            "locale 'klingon' (kind) on 5 rows (roster.csv:3, roster.csv:4, roster.csv:5 and 2 "
            "more): not a locale the server supports; left unset (the server's default applies)");
}

}  // namespace
}  // namespace rostersync
