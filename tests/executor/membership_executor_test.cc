// Memberships end to end in memory: AddMembershipPlan reads FakeMembershipApi, the executor
// applies the joins and leaves through it, the ledger records what rostersync added.
#include <gtest/gtest.h>

#include "sync/executor.h"
#include "sync/membership_planner.h"
#include "tests/executor/executor_test_util.h"
#include "tests/fakes/fake_membership_api.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"

namespace rostersync {
namespace {

using ::rostersync::testing::CapturingSink;
using ::rostersync::testing::CountAudit;
using ::rostersync::testing::CreateAction;
using ::rostersync::testing::FakeMembershipApi;
using ::rostersync::testing::FakeUsersApi;
using ::rostersync::testing::MemoryStateStore;

class MembershipExecutorTest : public ::testing::Test {
 protected:
  MembershipExecutorTest() {
    options_.rules = {{"company", "", "", std::nullopt},
                      {"company", "dept-{department}", "", std::nullopt}};
    options_.max_removals = {false, 1000};
    members_.AddTeam("company");
    members_.AddChannel("company", "dept-eng");
    members_.AddChannel("company", "dept-sales");
    members_.set_max_users_per_team(100000);
  }

  // n people with accounts and ledger entries, all in `dept`.
  void People(int n, const std::string& dept) {
    Ledger ledger;
    for (int i = 0; i < n; ++i) {
      const std::string key = "E" + std::to_string(i);
      User u;
      u.username = "user" + std::to_string(i);
      u.email = u.username + "@example.com";
      u = api_.AddUser(u);
      users_.push_back(u);
      RosterEntry e;
      e.key = key;
      e.username = u.username;
      e.email = u.email;
      e.attributes["department"] = dept;
      roster_.entries.push_back(e);
      ledger[key] = {key, u.id};
    }
    ASSERT_TRUE(store_.PutLedger(ledger).ok());
  }

  Plan PlanNow(Plan plan = {}) {
    Ledger ledger = *store_.LoadLedger();
    AddMembershipPlan(members_, options_, roster_, users_, ledger, &plan);
    return plan;
  }

  ExecutionReport Apply(const Plan& plan) {
    ExecutorOptions options;
    options.concurrency = 4;
    options.run_id = "run-1";
    options.membership = &members_;
    Executor executor(api_, store_, &sink_, clock_, options);
    return executor.Apply(plan);
  }

  FakeUsersApi api_;
  FakeMembershipApi members_;
  MemoryStateStore store_;
  CapturingSink sink_;
  FakeClock clock_{1'790'000'000'000};
  MembershipOptions options_;
  Roster roster_;
  std::vector<User> users_;
};

TEST_F(MembershipExecutorTest, BatchesTeamJoinsRecordsThemAndTheNextPlanIsEmpty) {
  People(300, "Eng");
  Plan plan = PlanNow();
  ASSERT_EQ(plan.actions.size(), 600u);
  auto report = Apply(plan);
  EXPECT_EQ(report.ok, 600);
  EXPECT_EQ(members_.batch_calls(), 2) << "300 joins in batches of at most 256";
  EXPECT_EQ(members_.single_team_adds(), 0);
  EXPECT_EQ(members_.ChannelMemberCount("chan-company-dept-eng"), 300);
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinTeam, AuditResult::kOk), 300);
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinChannel, AuditResult::kOk), 300);
  Ledger ledger = *store_.LoadLedger();
  EXPECT_EQ(ledger.at("E7").set_values.at("member:team:team-company"), "company");
  EXPECT_EQ(ledger.at("E7").set_values.at("member:channel:chan-company-dept-eng"),
            "company/dept-eng");
  const int writes = members_.writes();
  EXPECT_TRUE(PlanNow().actions.empty()) << "apply then plan is empty";
  EXPECT_EQ(members_.writes(), writes);
}

// A full team (MaxUsersPerTeam) is one attention line naming the setting: after the first
// "max_accounts" answer no further batch or single join of that team is sent, and the refused
// joins and those people's channel joins are held, not a failure each.
TEST_F(MembershipExecutorTest, AFullTeamIsOneAttentionItemNotAFailurePerJoin) {
  members_.set_max_users_per_team(50);
  People(600, "Eng");
  auto report = Apply(PlanNow());
  EXPECT_EQ(members_.batch_calls(), 1) << "no batch after the one the server refused";
  EXPECT_EQ(members_.single_team_adds(), 0);
  EXPECT_EQ(report.ok, 100);  // 50 team joins and their 50 channel joins
  EXPECT_EQ(report.failed, 0);
  EXPECT_EQ(report.held, 1100);  // 550 team joins, 550 channel joins not sent
  ASSERT_EQ(report.attention.size(), 1u);
  EXPECT_NE(report.attention[0].find("TeamSettings.MaxUsersPerTeam"), std::string::npos);
  EXPECT_NE(report.attention[0].find("550 team joins and 550 channel joins"), std::string::npos);
  EXPECT_EQ(members_.ChannelMemberCount("chan-company-dept-eng"), 50);
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinChannel, AuditResult::kFailed), 0);
  Ledger ledger = *store_.LoadLedger();
  EXPECT_EQ(ledger.at("E599").set_values.count("member:team:team-company"), 0u);
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinTeam, AuditResult::kHeld), 550);

  // The next cycle: the team is still full; one refused batch, and the same holds are not
  // audited again.
  auto again = Apply(PlanNow());
  EXPECT_EQ(members_.batch_calls(), 2);
  EXPECT_EQ(again.held, 1100);
  ASSERT_EQ(again.attention.size(), 1u);
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinTeam, AuditResult::kHeld), 550);
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinChannel, AuditResult::kHeld), 550);
}

TEST_F(MembershipExecutorTest, AMemberOfAFullTeamStillJoinsItsChannels) {
  members_.set_max_users_per_team(3);
  People(6, "Eng");
  members_.SeedTeamMember("team-company", users_[5].id);  // in the team already, by hand
  auto report = Apply(PlanNow());
  EXPECT_EQ(report.failed, 0);
  ASSERT_EQ(report.attention.size(), 1u);
  EXPECT_TRUE(members_.IsChannelMember("chan-company-dept-eng", users_[5].id))
      << "a current member's channel join is not held by the full team";
  EXPECT_EQ(members_.ChannelMemberCount("chan-company-dept-eng"), 3);  // 2 joined + the member
  EXPECT_EQ(report.held, 6);  // 3 team joins refused and their 3 channel joins
}

TEST_F(MembershipExecutorTest, AFullTeamStopsSingleJoinsOfNewAccountsAfterTheFirstRefusal) {
  members_.set_max_users_per_team(1);
  People(1, "Eng");
  ASSERT_EQ(Apply(PlanNow()).ok, 2);
  Plan plan;
  for (int i = 0; i < 6; ++i) {
    RosterEntry e;
    e.key = "N" + std::to_string(i);
    e.username = "newbie" + std::to_string(i);
    e.email = e.username + "@example.com";
    e.attributes["department"] = "Eng";
    roster_.entries.push_back(e);
    plan.actions.push_back(CreateAction(e.key, e.username));
  }
  ExecutorOptions options;
  options.concurrency = 1;
  options.run_id = "run-2";
  options.membership = &members_;
  Executor executor(api_, store_, &sink_, clock_, options);
  auto report = executor.Apply(PlanNow(plan));
  EXPECT_EQ(members_.single_team_adds(), 1) << "one refusal, then no more single joins";
  EXPECT_EQ(report.ok, 6);  // the creates
  EXPECT_EQ(report.failed, 0);
  EXPECT_EQ(report.held, 12);
  ASSERT_EQ(report.attention.size(), 1u);
  EXPECT_NE(report.attention[0].find("company is full"), std::string::npos);
}

TEST_F(MembershipExecutorTest, AFailedBatchIsReadBackNotRepeated) {
  People(10, "Eng");
  members_.FailNextBatchAfterApplying();
  auto report = Apply(PlanNow());
  EXPECT_EQ(report.failed, 0);
  EXPECT_EQ(members_.single_team_adds(), 0) << "the read-back showed them all added";
}

TEST_F(MembershipExecutorTest, MoverChangesChannelsInOneCycleAndHandAddedStays) {
  People(2, "Eng");
  Apply(PlanNow());
  members_.AddChannel("company", "random");
  members_.SeedChannelMember("chan-company-random", users_[0].id);  // by hand
  options_.rules.push_back({"company", "random", "department", std::string("nobody")});
  roster_.entries[0].attributes["department"] = "Sales";
  options_.mode = MembershipMode::kSync;
  Plan plan = PlanNow();
  ASSERT_EQ(plan.actions.size(), 2u);
  EXPECT_EQ(plan.actions[0].type, ActionType::kJoinChannel);
  EXPECT_EQ(plan.actions[1].type, ActionType::kLeaveChannel);
  EXPECT_EQ(Apply(plan).ok, 2);
  EXPECT_TRUE(members_.IsChannelMember("chan-company-dept-sales", users_[0].id));
  EXPECT_FALSE(members_.IsChannelMember("chan-company-dept-eng", users_[0].id));
  EXPECT_TRUE(members_.IsChannelMember("chan-company-random", users_[0].id));
  EXPECT_TRUE(members_.IsChannelMember("chan-company-dept-eng", users_[1].id));
  EXPECT_TRUE(PlanNow().actions.empty());
}

TEST_F(MembershipExecutorTest, AChannelNoTemplateProducesAnyMoreIsFoundByItsLedgerName) {
  People(5, "Eng");
  Apply(PlanNow());
  members_.AddChannel("company", "dept-engineering");
  for (RosterEntry& e : roster_.entries) e.attributes["department"] = "Engineering";
  options_.mode = MembershipMode::kSync;
  int leaves = 0;
  for (const Action& a : PlanNow().actions) {
    leaves += a.type == ActionType::kLeaveChannel && a.channel == "dept-eng";
  }
  EXPECT_EQ(leaves, 5);
  options_.rules = {{"other", "", "", std::nullopt}};  // the company team is no longer named
  EXPECT_TRUE(PlanNow().actions.empty()) << "a team the config dropped is left alone";
}

TEST_F(MembershipExecutorTest, LeavesTrustTheServersAnswer) {
  People(1, "Eng");
  Plan plan;
  Action leave_channel;
  leave_channel.type = ActionType::kLeaveChannel;
  leave_channel.key = "E0";
  leave_channel.user_id = users_[0].id;
  leave_channel.team_id = "team-company";
  leave_channel.channel_id = "chan-company-dept-eng";
  Action leave_team = leave_channel;
  leave_team.type = ActionType::kLeaveTeam;
  plan.actions = {leave_channel, leave_team};
  auto report = Apply(plan);
  EXPECT_EQ(report.ok, 2) << "a channel removal that finds no membership is done";
  EXPECT_EQ(members_.writes(), 1) << "the team membership was confirmed first: no DELETE";
  EXPECT_EQ(store_.LoadLedger()->at("E0").set_values.at("member:team:team-company"), "false");
}

TEST_F(MembershipExecutorTest, APersonCreatedThisCycleJoinsInTheSameCycle) {
  RosterEntry e;
  e.key = "N1";
  e.username = "newbie";
  e.email = "newbie@example.com";
  e.attributes["department"] = "Sales";
  roster_.entries.push_back(e);
  Plan plan;
  plan.actions.push_back(CreateAction("N1", "newbie"));
  plan = PlanNow(plan);
  ASSERT_EQ(plan.actions.size(), 3u);
  EXPECT_EQ(Apply(plan).ok, 3);
  auto created = api_.FindByUsername("newbie");
  ASSERT_TRUE(created.has_value());
  EXPECT_TRUE(members_.IsTeamMember("team-company", created->id));
  EXPECT_TRUE(members_.IsChannelMember("chan-company-dept-sales", created->id));
}

// A full team where each person has two channels (department and office): each held join
// (one per person and channel) is audited once, and the next cycles audit none again while
// the team stays full (a person's holds on two channels are two holds, not one that flips).
TEST_F(MembershipExecutorTest, AFullTeamsHeldChannelJoinsAreAuditedOnceEach) {
  members_.set_max_users_per_team(50);
  members_.AddChannel("company", "office-ber");
  options_.rules.push_back({"company", "office-{office}", "", std::nullopt});
  People(300, "Eng");
  for (RosterEntry& e : roster_.entries) e.attributes["office"] = "Ber";
  auto first = Apply(PlanNow());
  EXPECT_EQ(first.held, 250 * 3);  // 250 team joins, 500 channel joins
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinTeam, AuditResult::kHeld), 250);
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinChannel, AuditResult::kHeld), 500);
  for (int cycle = 2; cycle <= 3; ++cycle) {
    auto again = Apply(PlanNow());
    EXPECT_EQ(again.held, 250 * 3) << "cycle " << cycle;
    EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinTeam, AuditResult::kHeld), 250)
        << "cycle " << cycle;
    EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinChannel, AuditResult::kHeld), 500)
        << "cycle " << cycle;
  }
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinTeam, AuditResult::kFailed), 0);
}

// A join refused one by one (a person created this cycle, so no batch) is held, not failed:
// its record says "held", and the next cycle does not audit the same hold again.
TEST_F(MembershipExecutorTest, ASingleJoinRefusedByAFullTeamIsAuditedHeldNotFailed) {
  members_.set_max_users_per_team(1);
  People(1, "Eng");
  ASSERT_EQ(Apply(PlanNow()).ok, 2);
  RosterEntry e;
  e.key = "N1";
  e.username = "newbie";
  e.email = "newbie@example.com";
  e.attributes["department"] = "Eng";
  roster_.entries.push_back(e);
  Plan plan;
  plan.actions.push_back(CreateAction("N1", "newbie"));
  auto report = Apply(PlanNow(plan));
  EXPECT_EQ(members_.single_team_adds(), 1);
  EXPECT_EQ(report.failed, 0);
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinTeam, AuditResult::kFailed), 0);
  ASSERT_EQ(CountAudit(sink_.records(), AuditAction::kJoinTeam, AuditResult::kHeld), 1);
  for (const AuditRecord& r : sink_.records()) {
    if (r.action == AuditAction::kJoinTeam && r.result == AuditResult::kHeld) {
      EXPECT_NE(r.error.find("company is full"), std::string::npos) << r.error;
    }
  }
  auto created = api_.FindByUsername("newbie");
  ASSERT_TRUE(created.has_value());
  users_.push_back(*created);
  Apply(PlanNow());  // the next cycle: the team is still full
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinTeam, AuditResult::kHeld), 1);
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kJoinTeam, AuditResult::kFailed), 0);
}

// Held leaves of two channels of one person, held by a guard whose text carries counts that
// change between cycles: audited once each; a different reason is audited again.
TEST_F(MembershipExecutorTest, AHoldWhoseCountsChangeIsNotAuditedAgain) {
  People(1, "Eng");
  auto held_plan = [&](const std::string& reason) {
    Plan plan;
    for (const char* channel : {"dept-eng", "office-ber"}) {
      Action a;
      a.type = ActionType::kLeaveChannel;
      a.key = "E0";
      a.user_id = users_[0].id;
      a.team_id = "team-company";
      a.team = "company";
      a.channel_id = std::string("chan-company-") + channel;
      a.channel = channel;
      a.changes = {{"channel", std::string("company/") + channel, ""}};
      a.held = true;
      a.held_reason = reason;
      plan.actions.push_back(a);
    }
    return plan;
  };
  const std::string guard = "membership removals guard: ";
  Apply(held_plan(guard + "51 membership removals (of 840 memberships rostersync added)"));
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kLeaveChannel, AuditResult::kHeld), 2);
  Apply(held_plan(guard + "51 membership removals (of 891 memberships rostersync added)"));
  Apply(held_plan(guard + "52 membership removals (of 891 memberships rostersync added)"));
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kLeaveChannel, AuditResult::kHeld), 2);
  Apply(held_plan("roster not trusted: the roster shrank"));
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kLeaveChannel, AuditResult::kHeld), 4)
      << "a new reason";
}

}  // namespace
}  // namespace rostersync
