// CycleCoordinator (daemon/cycle_coordinator.h) in process: real CycleRunners over
// FakeUsersApi and MemoryStateStore, leadership from a scripted FakeLeaderElection. Only the
// leader applies; a standby plans but applies nothing and takes over when the lock frees;
// the runner is rebuilt after a new config, the store reopened only for a new database; a
// failed build is retried by the next cycle.
#include "daemon/cycle_coordinator.h"

#include <gtest/gtest.h>

#include <vector>

#include "config/config_loader.h"
#include "tests/daemon/fake_leader_election.h"
#include "tests/daemon/runner_config.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"
#include "tests/support/temp_dir.h"

namespace rostersync::daemon {
namespace {

using ::rostersync::testing::FakeLeaderElection;
using ::rostersync::testing::FakeUsersApi;
using ::rostersync::testing::MemoryStateStore;
using ::rostersync::testing::TempDir;

constexpr int64_t kNow = 1'795'953'600'000;  // 2026-11-29T12:00:00Z
constexpr char kRoster[] =
    "employee_id,username,email,role\n"
    "E1,alice,alice@example.com,member\n"
    "E2,bob,bob@example.com,member\n";

class CycleCoordinatorTest : public ::testing::Test {
 protected:
  CycleCoordinatorTest() {
    auto leader = std::make_unique<FakeLeaderElection>();
    leader_ = leader.get();
    CycleCoordinator::Seams seams;
    seams.open_store = [this](const Config&) -> Result<std::unique_ptr<StateStore>> {
      ++stores_opened_;
      return std::unique_ptr<StateStore>(std::make_unique<MemoryStateStore>());
    };
    seams.make_runner = [this](const Config& c,
                               StateStore* store) -> Result<std::unique_ptr<CycleRunner>> {
      ++runners_made_;
      if (!build_error_.ok()) return build_error_;
      return std::make_unique<CycleRunner>(c, &api_, store, nullptr, env_);
    };
    seams.on_leader = [this](bool leader) { leader_seen_.push_back(leader); };
    coordinator_ = std::make_unique<CycleCoordinator>(MakeConfig("state.db"), std::move(leader),
                                                      env_, std::move(seams));
  }
  Config MakeConfig(const std::string& database) {
    return ::rostersync::testing::RunnerConfig(dir_, kRoster, "", "", database);
  }
  Result<CycleResult> Run(bool apply) {
    std::lock_guard<std::mutex> lock(coordinator_->cycle_mutex());
    CycleRequest request;
    request.apply = apply;
    request.command = apply ? RunCommand::kRun : RunCommand::kPlan;
    return coordinator_->RunLocked(request);
  }

  TempDir dir_;
  FakeEnv env_{kNow};
  FakeUsersApi api_;
  FakeLeaderElection* leader_ = nullptr;  // owned by coordinator_
  std::vector<bool> leader_seen_;
  int stores_opened_ = 0;
  int runners_made_ = 0;
  Status build_error_;
  std::unique_ptr<CycleCoordinator> coordinator_;
};

TEST_F(CycleCoordinatorTest, TheLeaderAppliesAndIsNoStandby) {
  Result<CycleResult> r = Run(true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->status.ok()) << r->status.ToString();
  EXPECT_EQ(api_.Calls("CreateUser"), 2);
  EXPECT_FALSE(coordinator_->standby());
  EXPECT_EQ(leader_seen_, std::vector<bool>{true});
  EXPECT_FALSE(coordinator_->cycle_running(nullptr));
  EXPECT_FALSE(coordinator_->last_plan_json().empty());
  EXPECT_TRUE(coordinator_->runner_status().ok());
}

TEST_F(CycleCoordinatorTest, AStandbyRefusesToApplyButPlansThenTakesOver) {
  leader_->Answer(Status::Conflict("another rostersync instance holds the leader lock"));
  leader_->Answer(Status::Conflict("another rostersync instance holds the leader lock"));
  leader_->Answer(Status::Ok());
  Result<CycleResult> applied = Run(true);
  ASSERT_FALSE(applied.ok());
  EXPECT_TRUE(applied.status().IsConflict());
  EXPECT_NE(applied.status().message().find("standby"), std::string::npos);
  EXPECT_TRUE(coordinator_->standby());
  EXPECT_EQ(api_.Writes(), 0) << "a standby applied changes";

  Result<CycleResult> planned = Run(false);  // GET /v1/plan?refresh=true on a standby
  ASSERT_TRUE(planned.ok()) << planned.status().ToString();
  int creates = 0;
  for (const Action& a : planned->plan.actions) creates += a.type == ActionType::kCreate ? 1 : 0;
  EXPECT_EQ(creates, 2);
  EXPECT_EQ(api_.Writes(), 0);
  EXPECT_FALSE(coordinator_->last_plan_json().empty());

  Result<CycleResult> took_over = Run(true);
  ASSERT_TRUE(took_over.ok()) << took_over.status().ToString();
  EXPECT_EQ(api_.Calls("CreateUser"), 2);
  EXPECT_FALSE(coordinator_->standby());
  EXPECT_EQ(leader_seen_, (std::vector<bool>{false, false, true}));
  EXPECT_EQ(leader_->checks(), 3) << "leadership is checked before every cycle";
}

// A state database that cannot be reached is a failed cycle with its cause, never "standby"
// (standby is only a lock another instance holds).
TEST_F(CycleCoordinatorTest, AnUnreachableLockDatabaseIsAFailedCycleNotStandby) {
  leader_->Answer(Status::IoError("cannot reach the PostgreSQL state database"));
  Result<CycleResult> r = Run(true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIoError) << r.status().ToString();
  EXPECT_NE(r.status().message().find("cannot reach"), std::string::npos);
  EXPECT_FALSE(coordinator_->standby());
  EXPECT_EQ(api_.Writes(), 0);
}

TEST_F(CycleCoordinatorTest, RebuildsTheRunnerForANewConfigAndTheStoreOnlyForANewDatabase) {
  ASSERT_TRUE(Run(true).ok());
  ASSERT_TRUE(Run(true).ok());
  EXPECT_EQ(runners_made_, 1);
  EXPECT_EQ(stores_opened_, 1);
  std::shared_ptr<StateStore> first_store = coordinator_->store();

  coordinator_->SetConfig(MakeConfig("state.db"));  // a reload, same database
  ASSERT_TRUE(Run(true).ok());
  EXPECT_EQ(runners_made_, 2);
  EXPECT_EQ(stores_opened_, 1);
  EXPECT_EQ(coordinator_->store(), first_store) << "one store (one SQLite lock) kept";

  coordinator_->SetConfig(MakeConfig("other.db"));
  ASSERT_TRUE(Run(true).ok());
  EXPECT_EQ(runners_made_, 3);
  EXPECT_EQ(stores_opened_, 2);
  EXPECT_NE(coordinator_->store(), first_store);
}

TEST_F(CycleCoordinatorTest, AFailedBuildIsReportedAndRetriedByTheNextCycle) {
  build_error_ = Status::Invalid("mattermost.token_file: no such file");
  {
    std::lock_guard<std::mutex> lock(coordinator_->cycle_mutex());
    EXPECT_FALSE(coordinator_->BuildLocked().ok());
  }
  EXPECT_FALSE(coordinator_->runner_status().ok());
  EXPECT_EQ(coordinator_->runner(), nullptr);
  Result<CycleResult> r = Run(true);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("token_file"), std::string::npos);
  EXPECT_EQ(leader_->checks(), 0) << "no leadership check without a runner";

  build_error_ = Status::Ok();
  Result<CycleResult> again = Run(true);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(coordinator_->runner_status().ok());
  EXPECT_EQ(api_.Calls("CreateUser"), 2);
}

TEST_F(CycleCoordinatorTest, ARefusedTokenMarksUnauthorizedUntilACycleSucceeds) {
  api_.FailNext("GetMe", Status::Unauthorized("HTTP 401: invalid token"));
  Result<CycleResult> r = Run(true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->status.ok());
  EXPECT_TRUE(coordinator_->unauthorized());
  ASSERT_TRUE(Run(true).ok());
  EXPECT_FALSE(coordinator_->unauthorized());
}

// The scheduler's view: standby keeps the normal interval (success, nothing reported as a
// failure); no runner is a failure reported as not run; a cycle that ran is reported.
TEST_F(CycleCoordinatorTest, AScheduledCycleCountsStandbyAsSuccessAndNoRunnerAsFailure) {
  std::vector<std::string> seen;
  CycleCoordinator::ScheduledReport report;
  report.ran = [&](const CycleResult& r) { seen.push_back("ran " + std::to_string(r.exit_code)); };
  report.not_run = [&](const Status&) { seen.push_back("not run"); };
  report.standby = [&](const Status&) { seen.push_back("standby"); };

  build_error_ = Status::Invalid("mattermost.token_file: no such file");
  EXPECT_FALSE(coordinator_->RunScheduled(Trigger::kStart, report));
  build_error_ = Status::Ok();
  leader_->Answer(Status::Conflict("another rostersync instance holds the leader lock"));
  EXPECT_TRUE(coordinator_->RunScheduled(Trigger::kInterval, report));
  EXPECT_EQ(api_.Writes(), 0);
  leader_->Answer(Status::Ok());
  EXPECT_TRUE(coordinator_->RunScheduled(Trigger::kInterval, report));
  EXPECT_EQ(api_.Calls("CreateUser"), 2);
  api_.FailNext("GetMe", Status::Unauthorized("HTTP 401: invalid token"));
  EXPECT_FALSE(coordinator_->RunScheduled(Trigger::kRetry, report)) << "exit 1 is a failure";
  EXPECT_EQ(seen, (std::vector<std::string>{"not run", "standby", "ran 0", "ran 1"}));
}

}  // namespace
}  // namespace rostersync::daemon
