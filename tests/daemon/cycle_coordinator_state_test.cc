// CycleCoordinator (daemon/cycle_coordinator.h) while the state database fails and comes
// back: the failure is kept for readiness (state_status) until a cycle gets past the state
// database again, and every failed applying cycle, requested or scheduled, counts in
// consecutive_failures until one succeeds.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "config/config_loader.h"
#include "daemon/cycle_coordinator.h"
#include "tests/daemon/fake_leader_election.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"
#include "tests/support/temp_dir.h"

namespace rostersync::daemon {
namespace {

using ::rostersync::testing::FakeLeaderElection;
using ::rostersync::testing::FakeUsersApi;
using ::rostersync::testing::MemoryStateStore;
using ::rostersync::testing::TempDir;

// A MemoryStateStore whose every call fails with IoError while `down` is set, and whose
// CompleteAction (recording an action's outcome) fails while `journal_down` is set.
class FlakyStore : public StateStore {
 public:
  FlakyStore(const std::atomic<bool>* down, const std::atomic<bool>* journal_down)
      : down_(down), journal_down_(journal_down) {}
  Result<Ledger> LoadLedger() override { return Up() ? s_.LoadLedger() : Down(); }
  Status PutLedgerEntry(const LedgerEntry& e) override { return Up() ? s_.PutLedgerEntry(e) : Down(); }
  Status DeleteLedgerEntry(const std::string& k) override {
    return Up() ? s_.DeleteLedgerEntry(k) : Down();
  }
  Status PutLedger(const Ledger& l) override { return Up() ? s_.PutLedger(l) : Down(); }
  Status BeginRun(const RunRecord& r) override { return Up() ? s_.BeginRun(r) : Down(); }
  Status FinishRun(const RunRecord& r) override { return Up() ? s_.FinishRun(r) : Down(); }
  Result<std::vector<RunRecord>> RecentRuns(int n) override {
    return Up() ? s_.RecentRuns(n) : Down();
  }
  Result<int64_t> JournalBegin(const JournalEntry& e) override {
    return Up() ? s_.JournalBegin(e) : Down();
  }
  Status CompleteAction(int64_t id, JournalState st, const std::optional<AuditRecord>& a,
                        const std::optional<LedgerEntry>& l) override {
    return Up() && !journal_down_->load() ? s_.CompleteAction(id, st, a, l) : Down();
  }
  Result<std::vector<JournalEntry>> PendingJournal() override {
    return Up() ? s_.PendingJournal() : Down();
  }
  Status AppendAudit(const AuditRecord& r) override { return Up() ? s_.AppendAudit(r) : Down(); }
  Result<std::vector<AuditRecord>> QueryAudit(const AuditQuery& q) override {
    return Up() ? s_.QueryAudit(q) : Down();
  }
  Result<std::optional<RosterFingerprint>> LastAcceptedRoster() override {
    return Up() ? s_.LastAcceptedRoster() : Down();
  }
  Status SaveAcceptedRoster(const RosterFingerprint& f) override {
    return Up() ? s_.SaveAcceptedRoster(f) : Down();
  }
  Status PutHeldSet(const HeldSetRecord& r) override { return Up() ? s_.PutHeldSet(r) : Down(); }
  Result<std::vector<HeldSetRecord>> RecentHeldSets(int n) override {
    return Up() ? s_.RecentHeldSets(n) : Down();
  }
  Result<std::optional<std::string>> GetValue(const std::string& n) override {
    return Up() ? s_.GetValue(n) : Down();
  }
  Status PutValue(const std::string& n, const std::string& v, int64_t ms) override {
    return Up() ? s_.PutValue(n, v, ms) : Down();
  }

 private:
  bool Up() const { return !down_->load(); }
  static Status Down() { return Status::IoError("Not connected to data source"); }
  const std::atomic<bool>* down_;
  const std::atomic<bool>* journal_down_;
  MemoryStateStore s_;
};

class CycleCoordinatorStateTest : public ::testing::Test {
 protected:
  CycleCoordinatorStateTest() {
    CycleCoordinator::Seams seams;
    seams.open_store = [this](const Config&) -> Result<std::unique_ptr<StateStore>> {
      return std::unique_ptr<StateStore>(std::make_unique<FlakyStore>(&down_, &journal_down_));
    };
    seams.make_runner = [this](const Config& c,
                               StateStore* store) -> Result<std::unique_ptr<CycleRunner>> {
      if (!build_error_.ok()) return build_error_;
      return std::make_unique<CycleRunner>(c, &api_, store, nullptr, env_);
    };
    std::string roster = dir_.Write("roster.csv",
                                    "employee_id,username,email\nE1,alice,alice@example.com\n"
                                    "E2,bob,bob@example.com\nE3,carol,carol@example.com\n");
    ConfigLoad load = ParseConfig(
        "mattermost: {url: http://127.0.0.1:1, token_env: UNUSED_TOKEN, concurrency: 1}\n"
        "roster: {source: csv, csv: {path: " + roster + "}, key: employee_id}\n"
        "fields: {username: {column: username}, email: {column: email}}\n"
        "state: {database: \"sqlite:" + dir_.File("state.db") + "\"}\n",
        "config.yaml");
    EXPECT_TRUE(load.ok()) << load.Report();
    auto leader = std::make_unique<FakeLeaderElection>();
    leader_ = leader.get();
    coordinator_ = std::make_unique<CycleCoordinator>(load.config, std::move(leader), env_,
                                                      std::move(seams));
  }
  Result<CycleResult> Sync() {  // what POST /v1/sync?wait=true runs
    std::lock_guard<std::mutex> lock(coordinator_->cycle_mutex());
    CycleRequest request;
    request.apply = true;
    request.command = RunCommand::kSync;
    return coordinator_->RunLocked(request);
  }

  TempDir dir_;
  FakeEnv env_{1'795'953'600'000};
  FakeUsersApi api_;
  std::atomic<bool> down_{false};
  std::atomic<bool> journal_down_{false};
  Status build_error_;
  FakeLeaderElection* leader_ = nullptr;  // owned by coordinator_
  std::unique_ptr<CycleCoordinator> coordinator_;
};

TEST_F(CycleCoordinatorStateTest, AFailingStateDatabaseIsNotReadyAndEveryFailedSyncCounts) {
  Result<CycleResult> r = Sync();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 0) << r->status.ToString();
  EXPECT_TRUE(coordinator_->state_status().ok());
  EXPECT_EQ(coordinator_->consecutive_failures(), 0);

  down_ = true;
  for (int i = 1; i <= 2; ++i) {
    r = Sync();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->exit_code, 1);
    EXPECT_EQ(r->stage, "state");
    Status state = coordinator_->state_status();
    EXPECT_FALSE(state.ok()) << "a failing state database left the service ready";
    EXPECT_NE(state.message().find("Not connected"), std::string::npos) << state.ToString();
    EXPECT_EQ(coordinator_->consecutive_failures(), i) << "a failed /v1/sync was not counted";
  }

  build_error_ = Status::IoError("cannot open the state database");
  coordinator_->SetConfig(coordinator_->runner()->config());  // the next cycle rebuilds
  EXPECT_FALSE(Sync().ok());
  EXPECT_EQ(coordinator_->consecutive_failures(), 3) << "a cycle not run was not counted";

  build_error_ = Status::Ok();
  down_ = false;  // the database is back
  r = Sync();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 0) << r->status.ToString();
  EXPECT_TRUE(coordinator_->state_status().ok()) << coordinator_->state_status().ToString();
  EXPECT_EQ(coordinator_->consecutive_failures(), 0);
}

// The database stops while a cycle applies: the first action is sent but cannot be
// recorded; the rest are not sent, and the cycle stops as a state error (exit 1), not
// "partial" with every later action failed.
TEST_F(CycleCoordinatorStateTest, AStateFailureWhileApplyingStopsTheCycleAsAStateError) {
  journal_down_ = true;
  Result<CycleResult> r = Sync();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 1) << r->status.ToString();
  EXPECT_EQ(r->stage, "state");
  EXPECT_NE(r->status.message().find("the state database failed while applying"),
            std::string::npos)
      << r->status.ToString();
  EXPECT_EQ(api_.Calls("CreateUser"), 1) << "actions were sent after the state database failed";
  EXPECT_FALSE(coordinator_->state_status().ok());
  EXPECT_EQ(coordinator_->consecutive_failures(), 1);
}

// The PostgreSQL server is down: the leader lock (in the state database) cannot be checked.
// Not ready while so, and each such cycle counts; ready again once a cycle runs.
TEST_F(CycleCoordinatorStateTest, AnUncheckableLeaderLockIsNotReadyUntilACycleRuns) {
  leader_->Answer(Status::IoError("cannot reach the PostgreSQL state database"));
  leader_->Answer(Status::IoError("cannot reach the PostgreSQL state database"));
  leader_->Answer(Status::Ok());
  for (int i = 1; i <= 2; ++i) {
    EXPECT_FALSE(Sync().ok());
    EXPECT_FALSE(coordinator_->state_status().ok()) << "ready while the database is down";
    EXPECT_EQ(coordinator_->consecutive_failures(), i);
  }
  Result<CycleResult> r = Sync();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 0) << r->status.ToString();
  EXPECT_TRUE(coordinator_->state_status().ok());
  EXPECT_EQ(coordinator_->consecutive_failures(), 0);
}

}  // namespace
}  // namespace rostersync::daemon
