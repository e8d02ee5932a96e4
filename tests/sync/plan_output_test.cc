// PlanPrinterTest and PlanJsonTest: the documented text plan and the stable JSON document.
#include <gtest/gtest.h>

#include "sync/plan_json.h"
#include "sync/plan_printer.h"
#include "sync/planner.h"
#include "tests/sync/planner_test_util.h"

namespace rostersync {
namespace {

using testing_util::MakeRow;
using testing_util::MakeUser;
using testing_util::World;

Plan SpecPlan() {
  World w;
  User asmith = MakeUser("u1", "asmith", "Anna", "Smith");
  User bwayne = MakeUser("u2", "bwayne");
  User ckent = MakeUser("u3", "ckent");
  ckent.delete_at = 1;
  w.users = {asmith, bwayne, ckent};
  w.Link("E0001", asmith);
  w.Link("E0042", bwayne);
  w.Link("E0007", ckent);
  w.ledger["E0007"].set_values["active"] = "false";
  RosterEntry jdoe = MakeRow("E1234", "jdoe");
  jdoe.email = "jane.doe@example.com";
  w.roster.entries = {MakeRow("E0001", "asmith", "Anna", "Smith-Jones"), MakeRow("E0007", "ckent"),
                      jdoe};
  w.options.policy.verify_email = false;
  w.options.policy.max_deactivations.value = 100;
  return w.Run();
}

TEST(PlanPrinterTest, PrintsOneAlignedLinePerActionAndASummary) {
  std::string text = FormatPlanText(SpecPlan(), false);
  EXPECT_EQ(text,
            "Plan: 4 actions (1 reactivate, 1 create, 1 update, 1 deactivate).\n"
            "\nDeactivations (1):\n"
            "- deactivate  bwayne       key=E0042  absent from roster since 2026-11-29\n"
            "\nCreates (1):\n"
            "+ create      jdoe         jane.doe@example.com     key=E1234  role=system_user\n"
            "\nUpdates (2):\n"
            "~ update      asmith       last_name: \"Smith\" -> \"Smith-Jones\"\n"
            "> reactivate  ckent        key=E0007\n");
}

TEST(PlanPrinterTest, PrintsNoChangesForAnEmptyPlan) {
  EXPECT_EQ(FormatPlanText(Plan{}, false), "No changes.\n");
  EXPECT_EQ(FormatPlanText(Plan{}, true), "No changes.\n");
}

TEST(PlanPrinterTest, PrintsHeldActionsAndHoldLines) {
  Plan plan;
  Action a;
  a.type = ActionType::kDeactivate;
  a.key = "E0042";
  a.username = "bwayne";
  a.detail = "absent from roster since 2026-11-20";
  a.held = true;
  a.held_reason = "max_deactivations: too many";
  plan.actions = {a};
  plan.holds = {Hold{"max_deactivations", 1, "1 deactivation (26% of managed users) exceed x"}};
  std::string text = FormatPlanText(plan, false);
  EXPECT_NE(text.find("- deactivate  bwayne       key=E0042  absent from roster since "
                      "2026-11-20  [held: max_deactivations]\n"),
            std::string::npos);
  EXPECT_NE(text.find("! held        1 deactivation (26% of managed users) exceed x\n"),
            std::string::npos);
  EXPECT_NE(text.find("Plan: 0 actions, 1 held."), std::string::npos);
}

// The Held heading counts the lines shown (a held create's follow-ups are on its line), and a
// change held for a rejected row names that row on its own line.
TEST(PlanPrinterTest, HeldSectionCountsItsLinesAndNamesTheRejectedRow) {
  Plan plan;
  Action create;
  create.type = ActionType::kCreate;
  create.key = "E77";
  create.username = "maria";
  create.held = true;
  create.held_reason = "ambiguous_match: E77 matches maria by username";
  Action verify = create;
  verify.type = ActionType::kVerifyEmail;
  Action deactivate;
  deactivate.type = ActionType::kDeactivate;
  deactivate.key = "E2";
  deactivate.username = "bob";
  deactivate.user_id = "u2";
  deactivate.held = true;
  deactivate.held_reason =
      "rejected_row: bob@example.com is named in rejected row roster.csv:3 (key 'E5' appears "
      "on 4 rows); fix the row first";
  plan.actions = {create, verify, deactivate};
  plan.holds = {Hold{"ambiguous_match", 2, "2 ambiguous"}, Hold{"rejected_row", 1, "1 held"}};
  std::string text = FormatPlanText(plan, false);
  EXPECT_NE(text.find("\nHeld (2):\n"), std::string::npos) << text;
  EXPECT_NE(text.find("key=E2  [held: rejected_row roster.csv:3]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("[held: ambiguous_match]\n"), std::string::npos) << text;

  plan.actions.clear();  // an untrusted roster that plans nothing still says why
  plan.holds = {Hold{"untrusted_roster", 0, "roster not trusted"}};
  text = FormatPlanText(plan, false);
  EXPECT_NE(text.find("\nHeld:\n! held        roster not trusted\n"), std::string::npos) << text;
}

// An admin reads the top first: the summary, then what needs a person, then what is held, and
// only then the routine changes.
TEST(PlanPrinterTest, SummaryFirstThenSectionsByUrgency) {
  World w;
  User admin = MakeUser("u1", "morgan.reyes");
  admin.roles = "system_user system_admin";
  User held = MakeUser("u2", "held.person");
  w.users = {admin, held, MakeUser("u3", "ex.employee")};
  w.Link("E042", admin);
  w.Link("E050", held);
  w.roster.rejected = {RowError{"roster.csv:7", "E050", "email", "not a valid email address"}};
  w.roster.rejected_keys = {"E050"};
  RosterEntry joiner = MakeRow("E100", "joiner");
  joiner.role = Role::kGuest;
  w.roster.entries = {joiner};
  w.options.policy.send_password_reset = true;
  Plan plan = w.Run();
  std::string text = FormatPlanText(plan, false);
  EXPECT_EQ(text.rfind("Plan: 4 actions (1 create, 1 guest, 1 verify_email, 1 password_reset), 1 attention item, 1 rejected row, "
                       "1 unmatched account, ", 0), 0u) << text;
  size_t attention = text.find("! attention   E042 morgan.reyes is a leaver but holds "
                               "system_admin: deactivate by hand\n");
  size_t creates = text.find("\nCreates (1):\n+ create      joiner");
  size_t roles = text.find("\nRole, guest and auth changes (1):\nv guest");
  size_t rejected = text.find("x rejected    roster.csv:7  key=E050  email: not a valid email");
  size_t unmatched = text.find("? unmatched   ex.employee");
  ASSERT_NE(attention, std::string::npos) << text;
  ASSERT_NE(creates, std::string::npos) << text;
  EXPECT_NE(text.find("role=guest  +verify_email  +password_reset\n"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("\n~ verify_email"), std::string::npos) << text;
  EXPECT_LT(attention, creates);
  EXPECT_LT(creates, roles);
  EXPECT_LT(roles, rejected);
  EXPECT_LT(rejected, unmatched);
}

TEST(PlanPrinterTest, CollapsesAdoptionNotesUnlessVerbose) {
  World w;
  for (int i = 0; i < 30; ++i) {
    std::string name = "user" + std::to_string(i);
    w.users.push_back(MakeUser("u" + std::to_string(i), name));
    w.roster.entries.push_back(MakeRow("K" + std::to_string(100 + i), name));
  }
  Plan plan = w.Run();
  std::string text = FormatPlanText(plan, false);
  EXPECT_NE(text.find("* note        30 roster rows adopt an existing account (--verbose lists "
                      "them)"), std::string::npos) << text;
  EXPECT_EQ(text.find("adopts existing account user1"), std::string::npos) << text;
  PlanTextOptions verbose;
  verbose.verbose = true;
  EXPECT_NE(FormatPlanText(plan, verbose).find("K129 adopts existing account user29"),
            std::string::npos);
}

TEST(PlanPrinterTest, EscapesEveryRosterAndServerString) {
  Plan plan;
  Action a;
  a.type = ActionType::kDeactivate;
  a.key = "E1\n- deactivate  forged";
  a.username = "evil\033[2K";
  a.detail = "absent\r";
  plan.actions = {a};
  plan.attention = {Attention{"E2", "x", "E2 \033[1Ax is a leaver"}};
  plan.rejected = {RowError{"roster.csv:3", "K\n", "first_name", "bad \033]0;title\a"}};
  plan.unmatched = {UnmatchedAccount{"id", "u\033", "e\n@x", ""}};
  plan.notices = {"note \033[31m"};
  std::string text = FormatPlanText(plan, false);
  EXPECT_EQ(text.find('\033'), std::string::npos) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos) << text;
  EXPECT_EQ(text.find('\a'), std::string::npos) << text;
  EXPECT_EQ(text.find("\n- deactivate  forged"), std::string::npos) << text;
}

TEST(PlanPrinterTest, ColorsOnlyWhenAsked) {
  Plan plan = SpecPlan();
  EXPECT_EQ(FormatPlanText(plan, false).find('\033'), std::string::npos);
  EXPECT_NE(FormatPlanText(plan, true).find("\033[32m+ create"), std::string::npos);
}

TEST(PlanJsonTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonEscape("a\"b\\c\n\x01 é"), "\"a\\\"b\\\\c\\n\\u0001 é\"");
}

TEST(PlanJsonTest, WritesAStableDocument) {
  std::string json = PlanToJson(SpecPlan());
  EXPECT_EQ(json.rfind("{\"schema_version\":1,\"has_changes\":true,\"cycle\":\"full\","
                       "\"summary\":{\"reactivate\":1,\"create\":1,\"promote\":0,\"update\":1,",
                       0),
            0u);
  EXPECT_NE(json.find("\"patch\":{\"last_name\":\"Smith-Jones\"}"), std::string::npos);
  EXPECT_NE(json.find("\"holds\":[],\"notices\":[],\"attention\":[],\"rejected\":[],"
                      "\"unmatched_accounts\":[]}"), std::string::npos);
  EXPECT_EQ(json, PlanToJson(SpecPlan()));
}

TEST(PlanJsonTest, SaysWhetherThePlanCameFromAnIncrementalRead) {
  Plan plan = SpecPlan();
  EXPECT_NE(PlanToJson(plan).find("\"cycle\":\"full\","), std::string::npos);
  plan.incremental = true;
  EXPECT_NE(PlanToJson(plan).find("\"cycle\":\"incremental\","), std::string::npos);
}

TEST(PlanJsonTest, CarriesAttentionRejectedRowsAndUnmatchedAccounts) {
  Plan plan;
  plan.attention = {Attention{"E042", "morgan.reyes", "E042 morgan.reyes is a leaver"}};
  plan.rejected = {RowError{"roster.csv:9", "E7", "email", "bad \"email\""}};
  plan.rejected_rows = 1;
  plan.unmatched = {UnmatchedAccount{"u9", "ex", "ex@example.com", "saml"}};
  std::string json = PlanToJson(plan);
  EXPECT_NE(json.find("\"attention\":1,\"rejected_rows\":1,\"unmatched_accounts\":1}"),
            std::string::npos) << json;
  EXPECT_NE(json.find("\"attention\":[{\"key\":\"E042\",\"username\":\"morgan.reyes\","
                      "\"message\":\"E042 morgan.reyes is a leaver\"}]"),
            std::string::npos) << json;
  EXPECT_NE(json.find("\"rejected\":[{\"where\":\"roster.csv:9\",\"key\":\"E7\",\"column\":"
                      "\"email\",\"reason\":\"bad \\\"email\\\"\"}]"),
            std::string::npos) << json;
  EXPECT_NE(json.find("\"unmatched_accounts\":[{\"user_id\":\"u9\",\"username\":\"ex\","
                      "\"email\":\"ex@example.com\",\"auth_service\":\"saml\"}]"),
            std::string::npos) << json;
}

TEST(PlanJsonTest, NeverWritesAPassword) {
  Action a;
  a.type = ActionType::kCreate;
  a.new_user.username = "jdoe";
  a.new_user.password = "hunter2-secret";
  a.patch.password = "hunter2-secret";
  Plan plan;
  plan.actions = {a};
  EXPECT_EQ(PlanToJson(plan).find("hunter2"), std::string::npos);
  EXPECT_EQ(FormatPlanText(plan, false).find("hunter2"), std::string::npos);
  a.type = ActionType::kUpdate;
  EXPECT_EQ(ActionToJson(a).find("hunter2"), std::string::npos);
}

TEST(PlanJsonTest, ActionJsonCarriesTypeSpecificMembers) {
  Action a;
  a.type = ActionType::kAuth;
  a.key = "E1";
  a.auth_service = "saml";
  a.auth_data = "f@corp";
  EXPECT_EQ(ActionToJson(a),
            "{\"action\":\"auth\",\"key\":\"E1\",\"user_id\":\"\",\"username\":\"\",\"email\":\"\","
            "\"changes\":[],\"detail\":\"\",\"held\":false,\"held_reason\":\"\","
            "\"auth_service\":\"saml\",\"auth_data\":\"f@corp\"}");
}

}  // namespace
}  // namespace rostersync
