// Memberships at scale: what the reads and the team-join batches cost grows with the number of
// people, never with its square (bench/membership_bench measures the figures; docs/membership.md).

#include <gtest/gtest.h>

#include <set>

#include "sync/executor.h"
#include "sync/membership_planner.h"
#include "tests/fakes/fake_membership_api.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"

namespace rostersync {
namespace {

using ::rostersync::testing::FakeMembershipApi;
using ::rostersync::testing::FakeUsersApi;
using ::rostersync::testing::MemoryStateStore;

// The fake, recording the ids of every members/ids read.
class RecordingApi : public FakeMembershipApi {
 public:
  std::vector<std::vector<std::string>> member_reads;
  Result<std::vector<std::string>> TeamMembersAmong(const std::string& team,
                                                    const std::vector<std::string>& ids) override {
    member_reads.push_back(ids);
    return FakeMembershipApi::TeamMembersAmong(team, ids);
  }
  Result<std::vector<std::string>> ChannelMembersAmong(
      const std::string& channel, const std::vector<std::string>& ids) override {
    member_reads.push_back(ids);
    return FakeMembershipApi::ChannelMembersAmong(channel, ids);
  }
};

// A person the ledger says rostersync added to the team and channel is read once per team and
// channel (not once for "should be in" and again for "rostersync added"), and each team or
// channel is one read for everybody, not one per person.
TEST(MembershipScaleTest, EachPersonIsReadOncePerTeamAndChannel) {
  RecordingApi members;
  members.AddTeam("company");
  members.AddChannel("company", "dept-eng");
  MembershipOptions options;
  options.rules = {{"company", "", "", std::nullopt},
                   {"company", "dept-{department}", "", std::nullopt}};
  options.mode = MembershipMode::kSync;
  Roster roster;
  std::vector<User> users;
  Ledger ledger;
  for (int i = 0; i < 500; ++i) {
    User u;
    u.id = "uid" + std::to_string(i);
    u.username = "user" + std::to_string(i);
    users.push_back(u);
    RosterEntry e;
    e.key = "E" + std::to_string(i);
    e.username = u.username;
    e.attributes["department"] = "eng";
    roster.entries.push_back(e);
    LedgerEntry& entry = ledger[e.key];
    entry.key = e.key;
    entry.user_id = u.id;
    entry.set_values["member:team:team-company"] = "company";
    entry.set_values["member:channel:chan-company-dept-eng"] = "company/dept-eng";
    members.SeedTeamMember("team-company", u.id);
    members.SeedChannelMember("chan-company-dept-eng", u.id);
  }
  Plan plan;
  AddMembershipPlan(members, options, roster, users, ledger, &plan);
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_TRUE(plan.attention.empty());
  ASSERT_EQ(members.member_reads.size(), 2u) << "one read for the team, one for the channel";
  for (const auto& ids : members.member_reads) {
    EXPECT_EQ(ids.size(), 500u);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size())
        << "an id sent twice";
  }
}

// The team joins of a first cycle go out in batches of 256 distinct people, a repeated person
// once. (Collecting them was quadratic in the people; its cost is measured by
// bench/membership_bench, docs/membership.md "Cost at scale", not asserted here.)
TEST(MembershipScaleTest, TeamJoinsGoOutInBatchesOfDistinctPeopleOnce) {
  FakeUsersApi users_api;
  FakeMembershipApi members;
  MemoryStateStore store;
  FakeClock clock{1'790'000'000'000};
  members.AddTeam("company");
  constexpr int kPeople = 4000;
  members.set_max_users_per_team(kPeople + 1);
  Plan plan;
  for (int i = 0; i <= kPeople; ++i) {
    Action a;
    a.type = ActionType::kJoinTeam;
    a.key = "E" + std::to_string(i % kPeople);  // the last one repeats the first person
    a.user_id = "uid" + std::to_string(1000000000 + i % kPeople);
    a.team_id = "team-company";
    a.team = "company";
    plan.actions.push_back(a);
  }
  ExecutorOptions options;
  options.concurrency = 4;
  options.run_id = "run-1";
  options.membership = &members;
  options.verify_after = false;
  Executor executor(users_api, store, nullptr, clock, options);
  ExecutionReport report = executor.Apply(plan);
  EXPECT_EQ(report.failed, 0);
  EXPECT_EQ(members.batch_calls(), (kPeople + 255) / 256) << "each person in one batch, once";
  EXPECT_EQ(members.single_team_adds(), 0);
  EXPECT_TRUE(members.IsTeamMember("team-company", "uid1000003999"));
}

}  // namespace
}  // namespace rostersync
