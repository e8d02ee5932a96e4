// The daemon's window guards (cycle/guards.h): the deactivation budget shared by the cycles
// of one window, read from the state store, and the grace that counts scheduled cycles only.
#include "cycle/guards.h"

#include <gtest/gtest.h>

#include "state/open_store.h"
#include "tests/support/temp_dir.h"

namespace rostersync::cycle {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;
constexpr int64_t kHour = 3'600'000;

class GuardsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStateStore("sqlite:" + dir_.File("state.db"));
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    ctx_.ledger = &ledger_;
    ctx_.policy.max_deactivations = Threshold{false, 1};
    ctx_.interval_ms = kHour;
    ctx_.now_ms = kNow;
    ctx_.run_id = "now";
  }
  void Deactivated(int64_t ts) {
    AuditRecord r;
    r.ts_ms = ts;
    r.run_id = "earlier";
    r.action = AuditAction::kDeactivate;
    r.key = "K" + std::to_string(ts);
    r.result = AuditResult::kOk;
    ASSERT_TRUE(store_->AppendAudit(r).ok());
  }
  static Plan OneDeactivation(const std::string& key) {
    Plan plan;
    Action a;
    a.type = ActionType::kDeactivate;
    a.key = key;
    plan.actions.push_back(a);
    plan.managed_users = 100;
    return plan;
  }
  testing::TempDir dir_;
  std::unique_ptr<StateStore> store_;
  Ledger ledger_;
  GuardContext ctx_;
};

TEST_F(GuardsTest, ADeactivationBeyondTheWindowsBudgetIsHeld) {
  Deactivated(kNow - kHour / 2);
  ctx_.only_key = "E2";
  Plan plan = OneDeactivation("E2");
  ApplyWindowGuards(*store_, ctx_, &plan);
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].guard, "max_deactivations");
  EXPECT_TRUE(plan.actions[0].held);
}

TEST_F(GuardsTest, DeactivationsBeforeTheWindowDoNotCount) {
  Deactivated(kNow - 2 * kHour);
  Plan plan = OneDeactivation("E2");
  ApplyWindowGuards(*store_, ctx_, &plan);
  EXPECT_TRUE(plan.holds.empty());
  EXPECT_FALSE(plan.actions[0].held);
}

TEST_F(GuardsTest, ForceReleasesTheBudget) {
  Deactivated(kNow - kHour / 2);
  ctx_.force = true;
  Plan plan = OneDeactivation("E2");
  ApplyWindowGuards(*store_, ctx_, &plan);
  EXPECT_FALSE(plan.actions[0].held);
}

TEST_F(GuardsTest, APerKeySyncIsNotAGraceSighting) {
  ctx_.policy.deactivate_after_cycles = 2;
  ctx_.policy.max_deactivations = Threshold{false, 10};
  ctx_.only_key = "E2";
  LedgerEntry old;
  old.key = "E2";
  old.absent_cycles = 2;
  old.absent_since_ms = kNow - kHour;
  ledger_["E2"] = old;
  Plan plan = OneDeactivation("E2");  // the planner counted this cycle: 3 > 2
  LedgerEntry after = old;
  after.absent_cycles = 3;
  plan.ledger_after["E2"] = after;
  ApplyWindowGuards(*store_, ctx_, &plan);
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_EQ(plan.ledger_after["E2"].absent_cycles, 2);
  ASSERT_EQ(plan.notices.size(), 1u);
  EXPECT_NE(plan.notices[0].find("scheduled"), std::string::npos);
}

// A run killed mid-way (marked "interrupted" at the next start) did not finish: its
// deactivations stay in the window opened by the last run that did.
TEST_F(GuardsTest, AnInterruptedRunDoesNotOpenANewWindow) {
  RunRecord done;
  done.run_id = "done";
  done.command = RunCommand::kSync;
  done.started_ms = kNow - 30 * 60'000;
  done.finished_ms = kNow - 29 * 60'000;
  done.result = RunResult::kOk;
  ASSERT_TRUE(store_->BeginRun(done).ok());
  ASSERT_TRUE(store_->FinishRun(done).ok());
  RunRecord killed = done;
  killed.run_id = "killed";
  killed.started_ms = kNow - 10 * 60'000;
  killed.finished_ms = kNow - 60'000;  // when the next start marked it
  killed.result = RunResult::kInterrupted;
  ASSERT_TRUE(store_->BeginRun(killed).ok());
  ASSERT_TRUE(store_->FinishRun(killed).ok());
  Deactivated(kNow - 5 * 60'000);  // by the killed run
  int64_t start = 0;
  Result<int> n = DeactivationsInWindow(*store_, ctx_, &start);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(start, done.finished_ms);
}

}  // namespace
}  // namespace rostersync::cycle
