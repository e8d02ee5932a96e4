// Generated cases over FakeMembershipApi: after applying a membership plan the next plan is
// empty, and no membership added by hand (before the first cycle or between cycles, also
// where rostersync had added and then removed one) is ever removed, whatever the roster does.
#include <gtest/gtest.h>

#include <random>

#include "sync/executor.h"
#include "sync/membership_planner.h"
#include "tests/executor/executor_test_util.h"
#include "tests/fakes/fake_membership_api.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"

namespace rostersync {
namespace {

using ::rostersync::testing::CapturingSink;
using ::rostersync::testing::FakeMembershipApi;
using ::rostersync::testing::FakeUsersApi;
using ::rostersync::testing::MemoryStateStore;

const std::vector<std::string> kDepartments{"a", "b", "c", ""};
const std::vector<std::string> kLocations{"x", "y", ""};

struct Case {
  explicit Case(unsigned seed) : rng(seed) {
    for (const std::string& d : kDepartments) {
      if (!d.empty()) members.AddChannel("company", "dept-" + d);
    }
    for (const std::string& l : kLocations) {
      if (!l.empty()) members.AddChannel("company", "office-" + l);
    }
    members.AddTeam("company");
    members.set_max_users_per_team(1000);
    options.rules = {{"company", "", "", std::nullopt},
                     {"company", "dept-{department}", "", std::nullopt},
                     {"company", "office-{location}", "", std::nullopt}};
    options.mode = MembershipMode::kSync;
    options.max_removals = {true, 100};
  }

  std::string Pick(const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
  }

  void People(int n) {
    Ledger ledger;
    for (int i = 0; i < n; ++i) {
      User u;
      u.username = "p" + std::to_string(i);
      u.email = u.username + "@example.com";
      u = api.AddUser(u);
      users.push_back(u);
      RosterEntry e;
      e.key = "K" + std::to_string(i);
      e.username = u.username;
      e.attributes = {{"department", Pick(kDepartments)}, {"location", Pick(kLocations)}};
      roster.entries.push_back(e);
      ledger[e.key] = {e.key, u.id};
      if (rng() % 3 == 0) {  // added by hand to the team and one channel
        const std::string channel = "chan-company-" + Pick({"dept-a", "dept-b", "office-x"});
        members.SeedTeamMember("team-company", u.id);
        members.SeedChannelMember(channel, u.id);
        by_hand.push_back({channel, u.id});
      }
    }
    store.PutLedger(ledger);
  }

  Plan PlanNow() {
    Plan plan;
    AddMembershipPlan(members, options, roster, users, *store.LoadLedger(), &plan);
    return plan;
  }

  ExecutionReport Apply(const Plan& plan) {
    ExecutorOptions o;
    o.concurrency = 2;
    o.membership = &members;
    Executor executor(api, store, &sink, clock, o);
    return executor.Apply(plan);
  }

  std::mt19937 rng;
  FakeUsersApi api;
  FakeMembershipApi members;
  MemoryStateStore store;
  CapturingSink sink;
  FakeClock clock{1'790'000'000'000};
  MembershipOptions options;
  Roster roster;
  std::vector<User> users;
  std::vector<std::pair<std::string, std::string>> by_hand;  // channel id, user id
};

TEST(MembershipPropertyTest, ApplyThenPlanIsEmptyAndHandAddedMembershipsStay) {
  for (unsigned seed = 1; seed <= 40; ++seed) {
    Case c(seed);
    c.People(3 + static_cast<int>(seed % 17));
    for (int round = 0; round < 4; ++round) {
      for (RosterEntry& e : c.roster.entries) {  // some people move
        if (c.rng() % 3 == 0) e.attributes["department"] = c.Pick(kDepartments);
        if (c.rng() % 4 == 0) e.attributes["location"] = c.Pick(kLocations);
      }
      for (const User& u : c.users) {  // and some are added to a channel by hand meanwhile
        if (c.rng() % 4 != 0) continue;
        const std::string channel =
            "chan-company-" + c.Pick({"dept-a", "dept-b", "dept-c", "office-x", "office-y"});
        if (c.members.IsChannelMember(channel, u.id)) continue;  // maybe rostersync's
        c.members.SeedChannelMember(channel, u.id);
        c.by_hand.push_back({channel, u.id});
      }
      ExecutionReport report = c.Apply(c.PlanNow());
      ASSERT_EQ(report.failed, 0) << "seed " << seed << " round " << round;
      const Plan again = c.PlanNow();
      EXPECT_TRUE(again.actions.empty())
          << "seed " << seed << " round " << round << ": " << again.actions.size() << " more, first "
          << ActionName(again.actions.front().type) << " " << again.actions.front().key;
      for (const auto& [channel, user] : c.by_hand) {
        EXPECT_TRUE(c.members.IsChannelMember(channel, user))
            << "seed " << seed << ": a membership added by hand was removed";
      }
    }
  }
}

}  // namespace
}  // namespace rostersync
