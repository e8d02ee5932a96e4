// Property: without accounts created outside rostersync, an incremental cycle plans exactly
// what a full cycle would (docs/design.md, "Full and incremental cycles"). Random scenarios
// (seeded): joiners, leavers, returners, renames, field changes, people set inactive, and
// edits on the server between cycles (names, usernames, emails, roles, deactivations and
// reactivations by hand). Before each incremental cycle a plan-only full cycle plans over the
// same roster, server and ledger; the two plans must be equal.
#include <gtest/gtest.h>

#include <random>

#include "cycle/cycle_core.h"
#include "sync/plan_printer.h"
#include "tests/cycle/cycle_test_support.h"

namespace rostersync::cycle {
namespace {

using rostersync::testing::FakeUsersApi;
using testing::Person;

constexpr int64_t kStart = 1'795'953'600'000;  // 2026-11-29T12:00:00Z

class World : private testing::CycleFixture<FakeUsersApi, NullCycleLog> {
 public:
  explicit World(uint32_t seed) : CycleFixture(kStart), rng_(seed) {
    options_.planner.policy.verify_email = Coin(0.5);
    options_.planner.policy.deactivate_after_cycles = Coin(0.3) ? 1 : 0;
    options_.full_every_ms = 365LL * 24 * 3'600'000;
    deps_.snapshot = &snapshot_;
    api_.set_now_ms(kStart);
    const int people = 6 + Pick(12);
    for (int i = 0; i < people; ++i) Join();
  }

  CycleResult Cycle(bool apply) {
    CycleRequest request;
    request.apply = apply;
    request.command = apply ? RunCommand::kRun : RunCommand::kPlan;
    return CycleCore(deps_).Run(options_, request);
  }
  void Tick(int64_t ms) {
    clock_.Advance(ms);
    api_.set_now_ms(clock_.NowMs());
  }

  // One round of roster changes and server edits.
  void Mutate() {
    std::vector<RosterEntry>& rows = loader_.roster.entries;
    for (int n = Pick(3); n > 0; --n) {
      switch (Pick(7)) {
        case 0: Join(); break;
        case 1:
          if (!rows.empty()) left_.push_back(Take(&rows));
          break;
        case 2:
          if (!left_.empty()) rows.push_back(Take(&left_));  // a returner
          break;
        case 3:
          if (!rows.empty()) rows[Pick(rows.size())].username += "x";
          break;
        case 4:
          if (!rows.empty()) {
            rows[Pick(rows.size())].email = "n" + std::to_string(next_++) + "@example.com";
          }
          break;
        case 5:
          if (!rows.empty()) rows[Pick(rows.size())].last_name = "L" + std::to_string(next_++);
          break;
        default:
          if (!rows.empty()) rows[Pick(rows.size())].active = Coin(0.5);
      }
    }
    loader_.roster.row_count = rows.size();
    for (int n = Pick(3); n > 0; --n) EditOnServer();
  }

 private:
  int Pick(std::size_t n) { return static_cast<int>(rng_() % n); }
  bool Coin(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  RosterEntry Take(std::vector<RosterEntry>* from) {
    const int i = Pick(from->size());
    RosterEntry e = (*from)[i];
    from->erase(from->begin() + i);
    return e;
  }
  void Join() {
    const int n = next_++;
    loader_.roster.entries.push_back(Person("E" + std::to_string(n), "p" + std::to_string(n)));
  }
  // Someone edits an account on the server (never creates one).
  void EditOnServer() {
    std::vector<User> users = api_.AllUsers();
    const User& u = users[Pick(users.size())];
    if (u.id == "me") return;
    UserPatch patch;
    switch (Pick(6)) {
      case 0: patch.first_name = "Hand" + std::to_string(next_++); break;
      case 1: patch.username = u.username + "h"; break;
      case 2: patch.email = "h" + std::to_string(next_++) + "@example.com"; break;
      case 3: (void)api_.DeactivateUser(u.id); return;
      case 4: (void)api_.SetUserActive(u.id, true); return;
      default: (void)api_.UpdateUserRoles(u.id, "system_user system_post_all"); return;
    }
    (void)api_.PatchUser(u.id, patch);
  }

  std::mt19937 rng_;
  int next_ = 1;
  std::vector<RosterEntry> left_;
};

// What both kinds must agree on: everything but the incremental notice and the unmatched
// accounts report (which only a full cycle makes).
Plan Comparable(Plan plan) {
  plan.unmatched.clear();
  std::vector<std::string> notices;
  for (std::string& n : plan.notices) {
    if (n != kIncrementalNotice) notices.push_back(std::move(n));
  }
  plan.notices = std::move(notices);
  return plan;
}

TEST(IncrementalPropertyTest, AnIncrementalPlanEqualsTheFullPlan) {
  int incremental = 0, cycles = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    World world(seed);
    world.Tick(1000);
    CycleResult first = world.Cycle(true);
    ASSERT_TRUE(first.status.ok()) << "seed " << seed << ": " << first.status.ToString();
    ASSERT_EQ(first.cycle_kind, "full");
    for (int step = 1; step <= 6; ++step) {
      world.Tick(5 * 60'000);
      world.Mutate();
      world.Tick(10 * 60'000);
      CycleResult full = world.Cycle(false);
      ASSERT_TRUE(full.status.ok()) << "seed " << seed << " step " << step;
      ASSERT_EQ(full.cycle_kind, "full");
      CycleResult applied = world.Cycle(true);
      ASSERT_TRUE(applied.status.ok()) << "seed " << seed << " step " << step << ": "
                                       << applied.status.ToString();
      ++cycles;
      if (applied.cycle_kind != "incremental") continue;
      ++incremental;
      EXPECT_TRUE(Comparable(full.plan) == Comparable(applied.plan))
          << "seed " << seed << " step " << step << "\nfull:\n"
          << FormatPlanText(full.plan, PlanTextOptions{false, true}) << "incremental:\n"
          << FormatPlanText(applied.plan, PlanTextOptions{false, true});
    }
  }
  // The property is only tested where cycles were incremental: most of them must be.
  EXPECT_GT(incremental, cycles / 2) << incremental << " of " << cycles;
}

}  // namespace
}  // namespace rostersync::cycle
