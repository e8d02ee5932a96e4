// The membership planner: values in, actions out (sync/membership_planner.h).
#include "sync/membership_planner.h"

#include <gtest/gtest.h>

namespace rostersync {
namespace {

using State = MembershipTarget::State;

RosterEntry Person(const std::string& key, const std::string& dept, const std::string& loc) {
  RosterEntry e;
  e.key = key;
  e.username = "u" + key;
  e.email = e.username + "@example.com";
  e.attributes = {{"department", dept}, {"location", loc}};
  return e;
}

MembershipTarget Team(const std::string& name, State state = State::kOk) {
  return {name, "", "team-" + name, "team-" + name, state};
}

MembershipTarget Chan(const std::string& team, const std::string& name, State state = State::kOk) {
  return {team, name, "chan-" + name, "team-" + team, state};
}

std::vector<MembershipRule> CompanyRules() {
  return {{"company", "", "", std::nullopt},
          {"company", "dept-{department}", "", std::nullopt},
          {"company", "office-{location}", "", std::nullopt}};
}

struct Fixture {
  std::vector<RosterEntry> entries;
  MembershipInput input;
  Ledger ledger;
  MembershipOptions options;
  Plan Run() {
    input.people.clear();
    for (const RosterEntry& e : entries) input.people.push_back({&e, "id" + e.key, e.username});
    input.ledger = &ledger;
    Plan plan;
    PlanMemberships(input, options, &plan);
    return plan;
  }
  void Member(const std::string& target_id, const std::string& key) {
    input.members[target_id].insert("id" + key);
  }
  void Added(const std::string& key, const std::string& kind, const std::string& id) {
    ledger[key].key = key;
    ledger[key].set_values["member:" + kind + ":" + id] = "true";
  }
};

std::vector<std::string> Lines(const Plan& plan) {
  std::vector<std::string> out;
  for (const Action& a : plan.actions) {
    out.push_back(std::string(a.held ? "held " : "") + ActionName(a.type) + " " + a.key + " " +
                  a.team + (a.channel.empty() ? "" : "/" + a.channel));
  }
  return out;
}

TEST(MembershipPlannerTest, DesiredExpandsTemplatesLowerCasedAndSkipsEmptyColumns) {
  std::vector<MembershipRule> rules = CompanyRules();
  rules.push_back({"eng", "", "department", std::string("Engineering")});
  auto desired = DesiredMemberships(rules, Person("1", "Engineering", "New York"));
  std::vector<std::pair<std::string, std::string>> want = {
      {"company", ""}, {"company", "dept-engineering"}, {"company", "office-new-york"}, {"eng", ""}};
  EXPECT_EQ(desired, want);
  auto no_location = DesiredMemberships(rules, Person("2", "Sales", ""));
  want = {{"company", ""}, {"company", "dept-sales"}};
  EXPECT_EQ(no_location, want);
  EXPECT_EQ(MembershipColumns(rules), (std::vector<std::string>{"department", "location"}));
}

TEST(MembershipPlannerTest, JoinsTeamThenChannelsAndNothingForCurrentMembers) {
  Fixture f;
  f.options.rules = CompanyRules();
  f.entries = {Person("1", "Eng", "Paris"), Person("2", "Eng", "Paris")};
  f.input.targets = {Team("company"), Chan("company", "dept-eng"), Chan("company", "office-paris")};
  f.Member("team-company", "2");
  f.Member("chan-dept-eng", "2");
  f.Member("chan-office-paris", "2");
  Plan plan = f.Run();
  EXPECT_EQ(Lines(plan), (std::vector<std::string>{"join_team 1 company",
                                                   "join_channel 1 company/dept-eng",
                                                   "join_channel 1 company/office-paris"}));
  EXPECT_EQ(plan.actions[1].channel_id, "chan-dept-eng");
  EXPECT_EQ(plan.actions[1].team_id, "team-company");
}

TEST(MembershipPlannerTest, MoverJoinsNewBeforeLeavingOldUnderSyncOnly) {
  Fixture f;
  f.options.rules = CompanyRules();
  f.entries = {Person("1", "Sales", "Paris")};
  f.input.targets = {Team("company"), Chan("company", "dept-eng"), Chan("company", "dept-sales"),
                     Chan("company", "office-paris")};
  for (const char* id : {"team-company", "chan-dept-eng", "chan-office-paris"}) f.Member(id, "1");
  f.Added("1", "team", "team-company");
  f.Added("1", "channel", "chan-dept-eng");
  f.Added("1", "channel", "chan-office-paris");
  f.options.max_removals = {false, 10};
  EXPECT_EQ(Lines(f.Run()), (std::vector<std::string>{"join_channel 1 company/dept-sales"}))
      << "policy add never removes";
  f.options.mode = MembershipMode::kSync;
  EXPECT_EQ(Lines(f.Run()), (std::vector<std::string>{"join_channel 1 company/dept-sales",
                                                      "leave_channel 1 company/dept-eng"}));
}

TEST(MembershipPlannerTest, NeverRemovesWhatRostersyncDidNotAddNorTownSquare) {
  Fixture f;
  f.options.rules = {{"company", "", "", std::nullopt}, {"company", "town-square", "", std::nullopt},
                     {"company", "dept-{department}", "", std::nullopt}};
  f.options.mode = MembershipMode::kSync;
  f.options.max_removals = {false, 100};
  f.entries = {Person("1", "", "")};  // no department any more
  f.input.targets = {Team("company"), Chan("company", "town-square"), Chan("company", "dept-eng"),
                     Chan("company", "dept-ops")};
  for (const char* id : {"team-company", "chan-town-square", "chan-dept-eng", "chan-dept-ops"}) {
    f.Member(id, "1");
  }
  f.Added("1", "channel", "chan-dept-ops");  // rostersync added ops; eng was added by hand
  EXPECT_EQ(Lines(f.Run()), (std::vector<std::string>{"leave_channel 1 company/dept-ops"}));
  f.entries[0].attributes["department"] = "";
  f.options.rules = {{"company", "dept-{department}", "", std::nullopt}};  // town-square unnamed
  f.Added("1", "channel", "chan-town-square");
  Plan plan = f.Run();
  for (const Action& a : plan.actions) EXPECT_NE(a.channel, "town-square");
}

TEST(MembershipPlannerTest, LeavingATeamDoesNotLeaveItsChannelsSeparately) {
  Fixture f;
  f.options.rules = {{"eng", "", "department", std::string("Eng")},
                     {"eng", "standup", "department", std::string("Eng")}};
  f.options.mode = MembershipMode::kSync;
  f.options.max_removals = {false, 100};
  f.entries = {Person("1", "Sales", "")};
  f.input.targets = {Team("eng"), Chan("eng", "standup")};
  f.Member("team-eng", "1");
  f.Member("chan-standup", "1");
  f.Added("1", "team", "team-eng");
  f.Added("1", "channel", "chan-standup");
  f.ledger["1"].set_values["member:channel:chan-standup"] = "eng/standup";
  Plan plan = f.Run();
  EXPECT_EQ(Lines(plan), (std::vector<std::string>{"leave_team 1 eng"}));
  // The server removes the team's channels with it: the ledger stops claiming them.
  ASSERT_EQ(plan.ledger_after.count("1"), 1u);
  EXPECT_EQ(plan.ledger_after.at("1").set_values.at("member:channel:chan-standup"), "false");
}

TEST(MembershipPlannerTest, RemovalsAboveTheThresholdAreHeldWithTheirOwnGuard) {
  Fixture f;
  f.options.rules = CompanyRules();
  f.options.mode = MembershipMode::kSync;  // max_removals 5% by default
  f.input.targets = {Team("company"), Chan("company", "dept-eng"), Chan("company", "dept-rd")};
  for (int i = 0; i < 10; ++i) {
    const std::string key = std::to_string(i);
    f.entries.push_back(Person(key, "R&D", ""));  // the department was renamed in HR
  }
  for (const RosterEntry& e : f.entries) {
    f.Member("team-company", e.key);
    f.Member("chan-dept-eng", e.key);
    f.Added(e.key, "channel", "chan-dept-eng");
  }
  f.input.targets.back() = Chan("company", "dept-r&d");
  Plan plan = f.Run();
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].guard, "max_membership_removals");
  EXPECT_EQ(plan.holds[0].count, 10);
  int joins = 0, held_leaves = 0;
  for (const Action& a : plan.actions) {
    joins += a.type == ActionType::kJoinChannel && !a.held;
    held_leaves += a.type == ActionType::kLeaveChannel && a.held;
  }
  EXPECT_EQ(joins, 10) << "joins go ahead";
  EXPECT_EQ(held_leaves, 10);
  f.options.force = true;
  EXPECT_TRUE(f.Run().holds.empty());
}

TEST(MembershipPlannerTest, MissingArchivedAndGroupConstrainedTargetsAreAttentionItems) {
  Fixture f;
  f.options.rules = {{"company", "", "", std::nullopt},
                     {"company", "office-{location}", "", std::nullopt},
                     {"gone", "", "", std::nullopt},
                     {"synced", "", "", std::nullopt}};
  f.entries = {Person("1", "", "Paris"), Person("2", "", "Paris")};
  f.input.targets = {Team("company"), Chan("company", "office-paris", State::kArchived),
                     Team("gone", State::kMissing), Team("synced", State::kGroupConstrained)};
  f.Member("team-company", "1");
  f.Member("team-company", "2");
  Plan plan = f.Run();
  EXPECT_TRUE(plan.actions.empty()) << Lines(plan).size();
  ASSERT_EQ(plan.attention.size(), 3u);
  std::string all;
  for (const Attention& a : plan.attention) all += a.message + "\n";
  EXPECT_NE(all.find("channel company/office-paris (membership) is archived"), std::string::npos);
  EXPECT_NE(all.find("team gone (membership) does not exist"), std::string::npos);
  EXPECT_NE(all.find("team synced (membership) is group-constrained"), std::string::npos);
  EXPECT_NE(all.find("(2 people)"), std::string::npos);
}

TEST(MembershipPlannerTest, ReportModePlansNoActionButANotice) {
  Fixture f;
  f.options.rules = CompanyRules();
  f.options.mode = MembershipMode::kReport;
  f.entries = {Person("1", "Eng", "")};
  f.input.targets = {Team("company"), Chan("company", "dept-eng")};
  Plan plan = f.Run();
  EXPECT_TRUE(plan.actions.empty());
  ASSERT_EQ(plan.notices.size(), 1u);
  EXPECT_NE(plan.notices[0].find("2 joins and 0 leaves"), std::string::npos);
}

// The membership actions are appended after the account actions already in the plan; report
// mode drops only its own actions and the removal guard holds only membership leaves.
TEST(MembershipPlannerTest, AccountActionsAlreadyPlannedAreKeptAndNeverHeldByTheGuard) {
  Fixture f;
  f.options.rules = CompanyRules();
  f.input.targets = {Team("company"), Chan("company", "dept-eng"), Chan("company", "dept-rd")};
  for (int i = 0; i < 4; ++i) {
    f.entries.push_back(Person(std::to_string(i), "RD", ""));
    f.Member("team-company", std::to_string(i));
    f.Member("chan-dept-eng", std::to_string(i));
    f.Added(std::to_string(i), "channel", "chan-dept-eng");
  }
  for (const RosterEntry& e : f.entries) f.input.people.push_back({&e, "id" + e.key, e.username});
  f.input.ledger = &f.ledger;
  Action update;
  update.type = ActionType::kUpdate;
  update.key = "0";
  for (MembershipMode mode : {MembershipMode::kSync, MembershipMode::kReport}) {
    f.options.mode = mode;
    Plan plan;
    plan.actions = {update};
    PlanMemberships(f.input, f.options, &plan);
    ASSERT_FALSE(plan.actions.empty());
    EXPECT_EQ(plan.actions[0].type, ActionType::kUpdate);
    EXPECT_FALSE(plan.actions[0].held);
    if (mode == MembershipMode::kReport) {
      EXPECT_EQ(plan.actions.size(), 1u) << "report: only the account action stays";
    } else {
      ASSERT_EQ(plan.actions.size(), 9u) << "the update, 4 joins and 4 held leaves";
      EXPECT_EQ(plan.holds.at(0).count, 4);
    }
  }
}

TEST(MembershipPlannerTest, PeopleAreActiveRosterEntriesWithAnAccountNotLeaversNorDeactivated) {
  Roster roster;
  roster.entries = {Person("1", "", ""), Person("2", "", ""), Person("3", "", ""),
                    Person("4", "", ""), Person("5", "", "")};
  roster.entries[1].active = false;  // a leaver
  std::vector<User> users(4);
  users[0].id = "id1";
  users[1].id = "id2";
  users[2].id = "id3";
  users[3].id = "id4";
  users[3].delete_at = 5;  // deactivated outside, not reactivated by this plan
  Ledger ledger;
  for (const char* k : {"1", "2", "3", "4"}) ledger[k] = {k, std::string("id") + k};
  Plan plan;
  Action deactivate;
  deactivate.type = ActionType::kDeactivate;
  deactivate.key = "3";
  Action create;
  create.type = ActionType::kCreate;
  create.key = "5";
  create.new_user.username = "u5";
  plan.actions = {deactivate, create};
  auto people = MembershipPeople(roster, users, ledger, plan);
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].entry->key, "1");
  EXPECT_EQ(people[0].user_id, "id1");
  EXPECT_EQ(people[1].entry->key, "5");
  EXPECT_EQ(people[1].user_id, "") << "created this cycle: the executor fills the id";
}

}  // namespace
}  // namespace rostersync
