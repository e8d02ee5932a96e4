// The cycle core (cycle/cycle_core.h) in process, over FakeUsersApi and a MemoryStateStore:
// each stage's failure stops the cycle where it should and applies nothing it must not; the
// ledger is loaded once and handed to the executor; the roster becomes the accepted
// baseline only when cycle/baseline.h says so; options are taken afresh every cycle.
#include "cycle/cycle_core.h"

#include <gtest/gtest.h>

#include "sync/plan_printer.h"
#include "tests/cycle/cycle_test_support.h"

namespace rostersync::cycle {
namespace {

constexpr int64_t kNow = 1'795'953'600'000;  // 2026-11-29T12:00:00Z

class CycleCoreTest : public ::testing::Test, protected testing::CycleFixture<> {
 protected:
  CycleCoreTest() : CycleFixture(kNow) {
    LoadThreePeople();
    options_.planner.policy.verify_email = false;  // one action per person created
  }
  CycleResult Run(bool apply = true, const std::string& only_key = "") {
    CycleRequest request;
    request.apply = apply;
    request.only_key = only_key;
    request.command = only_key.empty() ? RunCommand::kRun : RunCommand::kSyncUser;
    return CycleCore(deps_).Run(options_, request);
  }
  // A first cycle that creates the three people (and saves the baseline).
  void CreateEveryone() {
    CycleResult r = Run();
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    ASSERT_EQ(r.report.ok, 3);
    api_.ResetCounters();
    store_.ledger_loads = 0;
  }
  std::optional<RunRecord> LastRun() {
    Result<std::vector<RunRecord>> runs = store_.RecentRuns(1);
    if (!runs.ok() || runs->empty()) return std::nullopt;
    return runs->front();
  }
};

TEST_F(CycleCoreTest, AppliesAWholeRosterRecordsTheRunAndAcceptsTheBaseline) {
  CycleResult r = Run();
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.result, RunResult::kOk);
  EXPECT_EQ(r.report.ok, 3);
  EXPECT_TRUE(r.baseline_saved);
  Result<std::optional<RosterFingerprint>> baseline = store_.LastAcceptedRoster();
  ASSERT_TRUE(baseline.ok() && baseline->has_value());
  EXPECT_EQ((*baseline)->fingerprint, "fp-3");
  std::optional<RunRecord> run = LastRun();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->command, RunCommand::kRun);
  EXPECT_EQ(run->result, RunResult::kOk);
  EXPECT_EQ(run->actions_ok, 3);
  EXPECT_EQ(run->roster_rows, 3);
}

TEST_F(CycleCoreTest, LoadsTheLedgerOnceAndHandsItToTheExecutor) {
  CreateEveryone();
  loader_.roster.entries[0].first_name = "Alicia";  // one update to apply
  CycleResult r = Run();
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.report.ok, 1);
  // Before the core, the cycle loaded it and the executor loaded it again (ignoring a
  // failure of that second load).
  EXPECT_EQ(store_.ledger_loads, 1);
}

TEST_F(CycleCoreTest, ALedgerThatFailsAfterPlanningIsNotReadAgainByTheExecutor) {
  CreateEveryone();
  loader_.roster.entries[0].first_name = "Alicia";
  store_.fail_ledger_from = 2;  // the executor's own load would fail
  CycleResult r = Run();
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.report.ok, 1);
  Result<Ledger> ledger = store_.MemoryStateStore::LoadLedger();
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ(ledger->size(), 3u);  // nobody lost from the ledger
  EXPECT_EQ(ledger->at("E1").set_values.at("first_name"), "Alicia");
}

TEST_F(CycleCoreTest, AnUnreadableRosterStopsAtRosterBeforeTheServerIsAsked) {
  source_.fail = Status::IoError("permission denied");
  CycleResult r = Run();
  EXPECT_EQ(r.stage, "roster");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.status.message().find("cannot read the roster test:roster"), std::string::npos)
      << r.status.ToString();
  EXPECT_EQ(api_.Calls("GetMe"), 0);
  EXPECT_EQ(api_.Writes(), 0);
  EXPECT_EQ(store_.ledger_loads, 0);
  std::optional<RunRecord> run = LastRun();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->result, RunResult::kFailed);
  EXPECT_EQ(run->message.rfind("roster: ", 0), 0u) << run->message;
}

TEST_F(CycleCoreTest, ARefusedTokenStopsAtServerAndMarksTheResultUnauthorized) {
  api_.FailNext("GetMe", Status::Unauthorized("HTTP 401"));
  CycleResult r = Run();
  EXPECT_EQ(r.stage, "server");
  EXPECT_TRUE(r.unauthorized);
  EXPECT_NE(r.status.message().find("token was refused by http://mm.example"),
            std::string::npos)
      << r.status.ToString();
  EXPECT_EQ(api_.Writes(), 0);
  EXPECT_EQ(api_.Calls("ListAllUsers"), 0);
}

TEST_F(CycleCoreTest, AServerErrorWhileListingStopsAtServerAndAppliesNothing) {
  api_.FailNext("ListAllUsers", Status::Transient("HTTP 503 after retries"));
  CycleResult r = Run();
  EXPECT_EQ(r.stage, "server");
  EXPECT_FALSE(r.unauthorized);
  EXPECT_FALSE(r.planned);
  EXPECT_EQ(api_.Writes(), 0);
  EXPECT_EQ(store_.ledger_loads, 0);
  EXPECT_FALSE(store_.LastAcceptedRoster()->has_value());
}

TEST_F(CycleCoreTest, ALedgerLoadFailureStopsAtStateBeforePlanning) {
  store_.fail_ledger_from = 1;
  CycleResult r = Run();
  EXPECT_EQ(r.stage, "state");
  EXPECT_FALSE(r.planned);
  EXPECT_EQ(api_.Writes(), 0);
  EXPECT_EQ(api_.AllUsers().size(), 1u);  // the token's own user only
}

TEST_F(CycleCoreTest, ALedgerThatCannotBeSavedStopsAtLedgerAndKeepsTheOldBaseline) {
  store_.fail_put_ledger = true;
  CycleResult r = Run();
  EXPECT_EQ(r.stage, "ledger");
  EXPECT_TRUE(r.applied);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(r.baseline_saved);
  EXPECT_FALSE(store_.LastAcceptedRoster()->has_value());
  EXPECT_EQ(LastRun()->result, RunResult::kFailed);
}

TEST_F(CycleCoreTest, AFailedActionIsPartialAndTheOthersStillApply) {
  api_.FailWhere([](const std::string& method, const std::string& arg)
                     -> std::optional<Status> {
    if (method == "CreateUser" && arg == "bob") return Status::Transient("HTTP 500");
    return std::nullopt;
  });
  CycleResult r = Run();
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.result, RunResult::kPartial);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.report.ok, 2);
  EXPECT_EQ(r.report.failed, 1);
  EXPECT_EQ(LastRun()->actions_failed, 1);
}

TEST_F(CycleCoreTest, PlanOnlyWritesNothingAnywhere) {
  CycleResult r = Run(/*apply=*/false);
  EXPECT_TRUE(r.status.ok());
  EXPECT_TRUE(r.planned);
  EXPECT_EQ(r.plan.CountActive(), 3);
  EXPECT_EQ(api_.Writes(), 0);
  EXPECT_FALSE(LastRun().has_value());
  EXPECT_FALSE(store_.LastAcceptedRoster()->has_value());
}

TEST_F(CycleCoreTest, AStopRequestedBeforeApplyingAppliesNothing) {
  StopToken stop;
  stop.RequestStop();
  deps_.stop = &stop;
  CycleResult r = Run();
  EXPECT_EQ(r.stage, "apply");
  EXPECT_EQ(api_.Writes(), 0);
}

TEST_F(CycleCoreTest, AnUntrustedRosterHoldsDeactivationsAndIsNotTheBaseline) {
  CreateEveryone();
  const RosterFingerprint before = **store_.LastAcceptedRoster();
  clock_.Advance(60'000);
  loader_.roster.entries.resize(1);
  loader_.roster.fingerprint = "fp-1";
  loader_.roster.trusted = false;
  loader_.roster.untrusted_reasons = {"the roster shrank from 3 to 1 rows"};
  CycleResult r = Run();
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.result, RunResult::kHeld);
  EXPECT_EQ(api_.Writes(), 0);
  EXPECT_FALSE(r.baseline_saved);
  EXPECT_EQ((*store_.LastAcceptedRoster())->fingerprint, before.fingerprint);
  EXPECT_NE(log_.All().find("roster not trusted"), std::string::npos) << log_.All();
}

TEST_F(CycleCoreTest, APerKeyCycleIsRecordedAsSuchAndIsNeverTheBaseline) {
  CycleResult r = Run(/*apply=*/true, "E2");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.report.ok, 1);
  EXPECT_FALSE(r.baseline_saved);
  EXPECT_FALSE(store_.LastAcceptedRoster()->has_value());
  EXPECT_EQ(LastRun()->command, RunCommand::kSyncUser);
  EXPECT_EQ(RunRecordFor(r, 0).command, RunCommand::kSyncUser);
}

TEST_F(CycleCoreTest, OptionsAreTakenAfreshEveryCycle) {
  CreateEveryone();
  loader_.roster.entries.resize(1);  // bob and carol leave
  options_.planner.policy.max_deactivations = Threshold{false, 1};
  CycleResult held = Run();
  EXPECT_EQ(held.result, RunResult::kHeld) << CycleSummary(held);
  EXPECT_EQ(api_.Writes(), 0);
  options_.planner.policy.max_deactivations = Threshold{false, 5};  // a reload raised it
  CycleResult applied = Run();
  EXPECT_EQ(applied.result, RunResult::kOk) << CycleSummary(applied);
  EXPECT_EQ(applied.report.ok, 2);
}

TEST_F(CycleCoreTest, APlannedDeactivationSaysItRevokesTokensOnlyWhenThePolicyDoes) {
  CreateEveryone();
  loader_.roster.entries.resize(2);  // carol leaves
  for (bool revoke : {false, true}) {
    options_.revoke_tokens_on_deactivate = revoke;
    CycleResult r = Run(/*apply=*/false);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    const Action* deactivate = nullptr;
    for (const Action& a : r.plan.actions) {
      if (a.type == ActionType::kDeactivate) deactivate = &a;
    }
    ASSERT_NE(deactivate, nullptr);
    const bool noted = deactivate->detail.find(kRevokesTokensNote) != std::string::npos;
    EXPECT_EQ(noted, revoke) << deactivate->detail;
    const std::string text = FormatPlanText(r.plan, false);
    EXPECT_EQ(text.find("revokes the person's access tokens") != std::string::npos, revoke)
        << text;
  }
}

TEST_F(CycleCoreTest, AScrubbedMessageNeverCarriesTheUrlPassword) {
  options_.scrub = [](std::string text) {
    for (auto p = text.find("s3cret"); p != std::string::npos; p = text.find("s3cret")) {
      text.replace(p, 6, "***");
    }
    return text;
  };
  api_.FailNext("GetServerCapabilities", Status::Transient("GET https://u:s3cret@mm/ failed"));
  CycleResult r = Run();
  EXPECT_EQ(r.stage, "server");
  EXPECT_EQ(r.status.message().find("s3cret"), std::string::npos);
  EXPECT_EQ(LastRun()->message.find("s3cret"), std::string::npos);
  EXPECT_EQ(log_.All().find("s3cret"), std::string::npos);
}

TEST_F(CycleCoreTest, ACoreBuiltWithoutItsSeamsFailsWithoutTouchingAnything) {
  deps_.log = nullptr;
  CycleResult r = Run();
  EXPECT_EQ(r.stage, "state");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(api_.Calls("GetMe"), 0);
  EXPECT_FALSE(LastRun().has_value());
}

}  // namespace
}  // namespace rostersync::cycle
