// The daemon's window guards (daemon/guards.h): the deactivation budget shared by the cycles
// of one window, read from the state store, and the grace that counts scheduled cycles only.
#include "daemon/guards.h"

#include <gtest/gtest.h>

#include "state/open_store.h"
#include "tests/support/temp_dir.h"

namespace rostersync::daemon {
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
    r.action = "deactivate";
    r.key = "K" + std::to_string(ts);
    r.result = "ok";
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

}  // namespace
}  // namespace rostersync::daemon
