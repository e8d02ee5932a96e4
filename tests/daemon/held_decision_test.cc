// HeldDecisionTest: DecideHeldSet (daemon/held_sets.h) on the in-memory store with a stand-in
// cycle: what is recorded and audited for approve / reject, the refusals, and two approvers
// for a set above approvals.second_approver_above.
#include <gtest/gtest.h>

#include "daemon/exit_codes.h"
#include "daemon/held_sets.h"
#include "sync/held_set.h"
#include "tests/fakes/memory_state_store.h"

namespace rostersync::daemon {
namespace {

Plan HeldPlan(int deactivations) {
  Plan plan;
  for (int i = 1; i <= deactivations; ++i) {
    Action a;
    a.type = ActionType::kDeactivate;
    a.key = "E" + std::to_string(i);
    a.held = true;
    a.held_reason = "max_deactivations: too many";
    plan.actions.push_back(a);
  }
  plan.holds.push_back(Hold{"max_deactivations", deactivations, "too many"});
  return plan;
}

class HeldDecisionTest : public ::testing::Test {
 protected:
  // Records the held set of a plan with `n` deactivations and returns its id.
  std::string Hold(int n) {
    plan_ = HeldPlan(n);
    Result<HeldSetRecord> r = RecordHeldSet(store_, plan_, "run-1", 1000);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->held_id : "";
  }
  // A cycle that re-plans plan_, lets the approval adjust it and "applies" what is not held.
  CycleResult Cycle(const CycleRequest& request) {
    ++cycles_;
    CycleResult r;
    r.run_id = "run-approve";
    Plan plan = plan_;
    if (Status s = request.before_apply(&plan); !s.ok()) {
      r.status = s;
      return r;
    }
    for (const Action& a : plan.actions) {
      r.report.outcomes.push_back(ActionOutcome{a, Status::Ok(), ""});
      applied_ += a.held ? 0 : 1;
    }
    return r;
  }
  DecisionOutcome Decide(const std::string& id, bool approve, const std::string& who,
                         int second_above = 0) {
    return DecideHeldSet(store_, nullptr, HeldDecision{id, approve, {}, who, second_above, "id-" + who},
                         2000,
                         [this](const CycleRequest& r) { return Cycle(r); });
  }
  HeldSetRecord Stored(const std::string& id) {
    Result<std::vector<HeldSetRecord>> sets = store_.RecentHeldSets(10);  // outlives the loop
    for (const HeldSetRecord& h : *sets) {
      if (h.held_id == id) return h;
    }
    return {};
  }

  testing::MemoryStateStore store_;
  Plan plan_;
  int cycles_ = 0;
  int applied_ = 0;
};

TEST_F(HeldDecisionTest, ApproveAppliesTheSetOnceAndAuditsTheApprover) {
  const std::string id = Hold(3);
  DecisionOutcome out = Decide(id, true, "alice");
  EXPECT_EQ(out.exit_code, kExitOk) << out.message;
  EXPECT_EQ(out.released, 3);
  EXPECT_EQ(out.applied, 3);
  EXPECT_EQ(applied_, 3);
  EXPECT_EQ(Stored(id).decision, "approved");
  EXPECT_EQ(Stored(id).approvers, "alice");
  std::vector<AuditRecord> audit = store_.Audit();
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().action, AuditAction::kApprove);
  EXPECT_EQ(audit.back().key, "held:" + id);
  EXPECT_EQ(audit.back().username, "alice");
  EXPECT_EQ(audit.back().user_id, "id-alice");
  EXPECT_EQ(Decide(id, true, "bob").exit_code, kExitRefused);  // already approved
  EXPECT_EQ(applied_, 3);
  EXPECT_EQ(store_.Audit().back().result, AuditResult::kRefused);
  EXPECT_EQ(store_.Audit().back().user_id, "id-bob");
}

TEST_F(HeldDecisionTest, EveryDecisionRecordNamesWhoDecidedInUserId) {
  const std::string id = Hold(2);
  EXPECT_EQ(Decide(id, false, "bob").exit_code, kExitOk);
  EXPECT_EQ(Decide("ffffffffffffffff", true, "carol").exit_code, kExitRefused);
  HeldDecision anonymous{Hold(3), true, {}, "dave"};  // no approver_id: never audited empty
  DecideHeldSet(store_, nullptr, anonymous, 2000, [this](const CycleRequest& r) { return Cycle(r); });
  std::vector<AuditRecord> audit = store_.Audit();
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].user_id, "id-bob");
  EXPECT_EQ(audit[1].user_id, "id-carol");
  EXPECT_EQ(audit[2].user_id, "unknown");
  for (const AuditRecord& r : audit) EXPECT_FALSE(r.user_id.empty()) << ToString(r.action);
}

TEST_F(HeldDecisionTest, ChangedPlansUnknownIdsAndRejectedSetsApplyNothing) {
  const std::string id = Hold(3);
  plan_.actions.pop_back();  // E3 is no longer planned
  DecisionOutcome out = Decide(id, true, "alice");
  EXPECT_EQ(out.exit_code, kExitRefused);
  EXPECT_NE(out.message.find("E3 deactivate: no longer planned"), std::string::npos);
  EXPECT_EQ(applied_, 0);
  EXPECT_EQ(Stored(id).decision, "");  // still waiting
  EXPECT_EQ(Decide("ffffffffffffffff", true, "alice").exit_code, kExitRefused);
  const std::string other = Hold(2);
  EXPECT_EQ(Decide(other, false, "bob").exit_code, kExitOk);
  EXPECT_EQ(Stored(other).decision, "rejected");
  EXPECT_EQ(Decide(other, true, "alice").exit_code, kExitRefused);
  EXPECT_EQ(applied_, 0);
  EXPECT_EQ(cycles_, 1);  // only the first approval planned again
}

// `approve --only NOPE`: the message names the key that is not in the set; the plan did not
// change.
TEST_F(HeldDecisionTest, OnlyWithAKeyOutsideTheSetNamesTheKeyNotAChangedPlan) {
  const std::string id = Hold(3);
  HeldDecision d{id, true, {"NOPE"}, "alice", 0, "id-alice"};
  DecisionOutcome out =
      DecideHeldSet(store_, nullptr, d, 2000, [this](const CycleRequest& r) { return Cycle(r); });
  EXPECT_EQ(out.exit_code, kExitRefused);
  EXPECT_NE(out.message.find("--only NOPE: not in held set " + id), std::string::npos)
      << out.message;
  EXPECT_EQ(out.message.find("plan changed"), std::string::npos) << out.message;
  EXPECT_EQ(applied_, 0);
  EXPECT_EQ(Stored(id).decision, "");  // still waiting
}

TEST_F(HeldDecisionTest, ALargeSetNeedsTwoDifferentApprovers) {
  const std::string id = Hold(5);
  DecisionOutcome first = Decide(id, true, "alice", 4);
  EXPECT_EQ(first.exit_code, kExitOk);
  EXPECT_TRUE(first.pending);
  EXPECT_EQ(applied_, 0);
  EXPECT_EQ(Stored(id).decision, "pending");
  EXPECT_EQ(Decide(id, true, "alice", 4).exit_code, kExitRefused);  // the same person again
  EXPECT_EQ(applied_, 0);
  DecisionOutcome second = Decide(id, true, "bob", 4);
  EXPECT_EQ(second.exit_code, kExitOk) << second.message;
  EXPECT_FALSE(second.pending);
  EXPECT_EQ(applied_, 5);
  EXPECT_EQ(Stored(id).approvers, "alice,bob");
  // At or below the threshold one approver is enough.
  const std::string small = Hold(4);
  EXPECT_FALSE(Decide(small, true, "carol", 4).pending);
  EXPECT_EQ(applied_, 9);
}

}  // namespace
}  // namespace rostersync::daemon
