// Executor::ResolvePending after simulated crashes, and secrets through every path
// (fake API, SQLite store, audit file).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "state/audit_file.h"
#include "state/audit_json.h"
#include "state/open_store.h"
#include "sync/executor.h"
#include "tests/executor/executor_test_util.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

using ::rostersync::testing::CapturingSink;
using ::rostersync::testing::CountAudit;
using ::rostersync::testing::CreateAction;
using ::rostersync::testing::FakeUsersApi;
using ::rostersync::testing::MemoryStateStore;
using ::rostersync::testing::TempDir;
using ::rostersync::testing::UserAction;

class ExecutorResolveTest : public ::testing::Test {
 protected:
  Executor MakeExecutor(AuditSink* sink) {
    ExecutorOptions options;
    options.run_id = "run-2";
    options.decode_action = ActionFromJson;
    return Executor(api_, store_, sink, clock_, options);
  }
  JournalEntry Pending(const Action& a) {
    JournalEntry j;
    j.run_id = "run-1";
    j.type = a.type;
    j.key = a.key;
    j.user_id = a.user_id;
    j.username = a.type == ActionType::kCreate ? a.new_user.username : a.username;
    j.email = a.type == ActionType::kCreate ? a.new_user.email : a.email;
    j.payload = ActionJournalPayload(a);
    j.created_ms = clock_.NowMs() - 60'000;  // long settled: no wait before the check
    return j;
  }

  FakeUsersApi api_;
  MemoryStateStore store_;
  CapturingSink sink_;
  FakeClock clock_{1'790'000'000'000};
};

TEST_F(ExecutorResolveTest, AdoptsACreateThatHappenedBeforeTheCrashExactlyOnce) {
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "jdoe", "saml", "jdoe@corp"));
  store_.FailCompleteAction(true);  // "crash" after sending, before recording
  {
    ExecutorOptions options;
    options.run_id = "run-1";
    Executor crashed(api_, store_, &sink_, clock_, options);
    auto report = crashed.Apply(plan);
    EXPECT_EQ(report.failed, 1);
  }
  store_.FailCompleteAction(false);
  clock_.Advance(60'000);  // the restart comes after the settle time
  ASSERT_EQ(store_.PendingJournal()->size(), 1u);
  EXPECT_TRUE(store_.Audit().empty());

  Executor executor = MakeExecutor(&sink_);
  ASSERT_TRUE(executor.ResolvePending().ok());
  ASSERT_TRUE(executor.ResolvePending().ok());  // a second start changes nothing
  EXPECT_TRUE(store_.PendingJournal()->empty());
  EXPECT_EQ(api_.Calls("CreateUser"), 1);
  auto user = api_.FindByUsername("jdoe");
  ASSERT_TRUE(user.has_value());
  auto entry = store_.LoadLedger()->at("E1");
  EXPECT_EQ(entry.user_id, user->id);
  EXPECT_EQ(entry.set_values.at("auth_data"), "jdoe@corp");
  EXPECT_EQ(CountAudit(store_.Audit(), AuditAction::kCreate, AuditResult::kOk), 1);
  EXPECT_EQ(store_.Audit()[0].run_id, "run-1");
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kCreate, AuditResult::kOk), 1);
}

TEST_F(ExecutorResolveTest, AbandonsACreateThatNeverReachedTheServer) {
  auto id = store_.JournalBegin(Pending(CreateAction("E1", "ghost")));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(MakeExecutor(&sink_).ResolvePending().ok());
  EXPECT_EQ(store_.Journal()[0].state, JournalState::kAbandoned);
  // Not applied: one failed record (in the run that sent it), in the store and the file.
  ASSERT_EQ(store_.Audit().size(), 1u);
  EXPECT_EQ(store_.Audit()[0].result, AuditResult::kFailed);
  EXPECT_EQ(store_.Audit()[0].run_id, "run-1");
  EXPECT_NE(store_.Audit()[0].error.find("not applied"), std::string::npos);
  EXPECT_EQ(sink_.records().size(), 1u);
  EXPECT_EQ(store_.LoadLedger()->count("E1"), 0u);
  EXPECT_EQ(api_.Writes(), 0);
}

TEST_F(ExecutorResolveTest, LeavesTheEntryPendingWhenTheLookupFails) {
  ASSERT_TRUE(store_.JournalBegin(Pending(CreateAction("E1", "jdoe"))).ok());
  api_.FailNext("GetUserByUsername", Status::Transient("HTTP 502"));
  Status s = MakeExecutor(&sink_).ResolvePending();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(store_.PendingJournal()->size(), 1u);
}

TEST_F(ExecutorResolveTest, RecordsADeactivationThatHappenedAndAbandonsOneThatDidNot) {
  User done_user;
  done_user.username = "gone";
  done_user.email = "gone@example.com";
  done_user = api_.AddUser(done_user);
  api_.DeactivateUser(done_user.id);
  User still;
  still.username = "still";
  still.email = "still@example.com";
  still = api_.AddUser(still);
  ASSERT_TRUE(store_.JournalBegin(Pending(UserAction(ActionType::kDeactivate, "E1", done_user.id,
                                                     "gone"))).ok());
  ASSERT_TRUE(store_.JournalBegin(Pending(UserAction(ActionType::kDeactivate, "E2", still.id,
                                                     "still"))).ok());
  ASSERT_TRUE(MakeExecutor(&sink_).ResolvePending().ok());
  auto journal = store_.Journal();
  EXPECT_EQ(journal[0].state, JournalState::kDone);
  EXPECT_EQ(journal[1].state, JournalState::kAbandoned);
  ASSERT_EQ(store_.Audit().size(), 2u);
  EXPECT_EQ(store_.Audit()[0].key, "E1");
  EXPECT_EQ(store_.Audit()[0].result, AuditResult::kOk);
  EXPECT_EQ(store_.Audit()[1].key, "E2");
  EXPECT_EQ(store_.Audit()[1].result, AuditResult::kFailed);
  EXPECT_EQ(store_.LoadLedger()->at("E1").set_values.at("active"), "false");
}

// kill -9 while position changes were in flight: the ones the server shows get exactly one
// ok audit record (store and file, noting the interrupted run), the others one failed
// record; a second start adds nothing.
TEST_F(ExecutorResolveTest, AuditsEveryInFlightUpdateOnceInStoreAndFile) {
  std::vector<User> users;
  for (int i = 0; i < 4; ++i) {
    User u;
    u.username = "user" + std::to_string(i);
    u.email = u.username + "@example.com";
    u.position = "Engineer";
    users.push_back(api_.AddUser(u));
  }
  for (int i = 0; i < 4; ++i) {
    Action a = UserAction(ActionType::kUpdate, "E" + std::to_string(i), users[i].id,
                          users[i].username);
    a.patch.position = "Manager";
    a.changes = {{"position", "Engineer", "Manager"}};
    ASSERT_TRUE(store_.JournalBegin(Pending(a)).ok());
    if (i < 3) {  // the server applied three before the kill; the fourth never arrived
      UserPatch patch;
      patch.position = "Manager";
      ASSERT_TRUE(api_.PatchUser(users[i].id, patch).ok());
    }
  }
  Executor executor = MakeExecutor(&sink_);
  ASSERT_TRUE(executor.ResolvePending().ok());
  ASSERT_TRUE(executor.ResolvePending().ok());
  EXPECT_TRUE(store_.PendingJournal()->empty());
  EXPECT_EQ(CountAudit(store_.Audit(), AuditAction::kUpdate, AuditResult::kOk), 3);
  EXPECT_EQ(CountAudit(store_.Audit(), AuditAction::kUpdate, AuditResult::kFailed), 1);
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kUpdate, AuditResult::kOk), 3);
  EXPECT_EQ(CountAudit(sink_.records(), AuditAction::kUpdate, AuditResult::kFailed), 1);
  for (const AuditRecord& r : store_.Audit()) {
    EXPECT_EQ(r.run_id, "run-1");
    EXPECT_NE(r.error.find("interrupted run"), std::string::npos) << r.error;
    EXPECT_EQ(r.result, r.key == "E3" ? AuditResult::kFailed : AuditResult::kOk) << r.key;
  }
}

// A request the killed process sent may land after the restart: resolution waits the settle
// time from the youngest entry (real time), then sees it applied.
TEST_F(ExecutorResolveTest, WaitsForALateRequestToSettleBeforeJudgingIt) {
  User u;
  u.username = "late";
  u.email = "late@example.com";
  u = api_.AddUser(u);
  Action a = UserAction(ActionType::kDeactivate, "E1", u.id, "late");
  JournalEntry young = Pending(a);
  young.created_ms = clock_.NowMs() - 1500;  // sent 1.5 s before the restart
  ASSERT_TRUE(store_.JournalBegin(young).ok());
  std::thread late([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    api_.DeactivateUser(u.id);  // the queued request lands at the server
  });
  auto t0 = std::chrono::steady_clock::now();
  Status s = MakeExecutor(&sink_).ResolvePending();
  late.join();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(400));
  ASSERT_EQ(store_.Audit().size(), 1u);
  EXPECT_EQ(store_.Audit()[0].result, AuditResult::kOk);
}

TEST_F(ExecutorResolveTest, MarksARunLeftRunningByAKilledProcessInterrupted) {
  RunRecord killed;
  killed.run_id = "run-1";
  killed.command = RunCommand::kSync;
  killed.started_ms = clock_.NowMs() - 5000;
  killed.result = RunResult::kRunning;
  ASSERT_TRUE(store_.BeginRun(killed).ok());
  RunRecord current = killed;
  current.run_id = "run-2";
  current.started_ms = clock_.NowMs();
  ASSERT_TRUE(store_.BeginRun(current).ok());
  ASSERT_TRUE(MakeExecutor(&sink_).ResolvePending().ok());
  auto runs = store_.RecentRuns(10);
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 2u);
  for (const RunRecord& r : *runs) {
    if (r.run_id == "run-1") {
      EXPECT_EQ(r.result, RunResult::kInterrupted);
      EXPECT_NE(r.finished_ms, 0);
      EXPECT_NE(r.message.find("run-2"), std::string::npos) << r.message;
    } else {
      EXPECT_EQ(r.result, RunResult::kRunning);  // the run doing the resolving is left alone
      EXPECT_EQ(r.finished_ms, 0);
    }
  }
}

TEST_F(ExecutorResolveTest, KeepsTheRunRunningWhileAnEntryStaysUnresolved) {
  RunRecord killed;
  killed.run_id = "run-1";
  killed.command = RunCommand::kSync;
  killed.started_ms = clock_.NowMs() - 5000;
  killed.result = RunResult::kRunning;
  ASSERT_TRUE(store_.BeginRun(killed).ok());
  ASSERT_TRUE(store_.JournalBegin(Pending(CreateAction("E1", "jdoe"))).ok());
  api_.FailNext("GetUserByUsername", Status::Transient("HTTP 502"));
  EXPECT_FALSE(MakeExecutor(&sink_).ResolvePending().ok());
  EXPECT_EQ(store_.RecentRuns(10)->at(0).result, RunResult::kRunning);
}

TEST_F(ExecutorResolveTest, CopiesRecordsTheFileMissedBeforeTheCrashOnce) {
  TempDir dir;
  auto file = AuditFile::Open(dir.File("audit.jsonl"));
  ASSERT_TRUE(file.ok());
  RunRecord run;
  run.run_id = "run-1";
  run.command = RunCommand::kSync;
  run.started_ms = clock_.NowMs() - 1000;
  run.result = RunResult::kRunning;
  ASSERT_TRUE(store_.BeginRun(run).ok());
  AuditRecord committed;
  committed.ts_ms = clock_.NowMs();
  committed.run_id = "run-1";
  committed.action = AuditAction::kUpdate;
  committed.key = "E1";
  committed.result = AuditResult::kOk;
  ASSERT_TRUE(store_.AppendAudit(committed).ok());  // the crash came before the file write
  Executor executor = MakeExecutor(file->get());
  ASSERT_TRUE(executor.ResolvePending().ok());
  ASSERT_TRUE(executor.ResolvePending().ok());
  std::string text = TempDir::Read(dir.File("audit.jsonl"));
  EXPECT_EQ(text, AuditRecordToJson(committed) + "\n");
}

TEST_F(ExecutorResolveTest, NeverWritesAPasswordOrTokenAnywhere) {
  const std::string kPassword = "Pw-KNOWN-SECRET-7f3a9";
  TempDir dir;
  auto store = OpenStateStore("sqlite:" + dir.File("state.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto file = AuditFile::Open(dir.File("audit.jsonl"));
  ASSERT_TRUE(file.ok());
  User leaver;
  leaver.username = "leaver";
  leaver.email = "leaver@example.com";
  leaver = api_.AddUser(leaver);
  UserAccessToken token = api_.AddToken(leaver.id, "ci");

  Plan plan;
  plan.actions.push_back(CreateAction("E1", "newbie"));
  plan.actions.push_back(CreateAction("E2", "unlucky"));
  plan.actions.push_back(UserAction(ActionType::kDeactivate, "E3", leaver.id, "leaver"));
  api_.FailWhere([](const std::string& method, const std::string& arg) -> std::optional<Status> {
    if (method == "CreateUser" && arg == "unlucky") return Status::Invalid("bad request");
    return std::nullopt;
  });
  api_.OutcomeUnknownAfterApply("CreateUser");
  ExecutorOptions options;
  options.run_id = "run-secret";
  options.password_generator = [&] { return kPassword; };
  options.concurrency = 1;
  Executor executor(api_, **store, file->get(), clock_, options);
  auto report = executor.Apply(plan);
  EXPECT_EQ(report.ok, 2);
  EXPECT_EQ(report.failed, 1);
  ASSERT_TRUE(api_.FindByUsername("newbie").has_value());
  EXPECT_EQ(api_.Password(api_.FindByUsername("newbie")->id), kPassword);  // it was sent
  store->reset();  // flush and close the database

  int files = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir.path())) {
    std::string content = TempDir::Read(f.path().string());
    ++files;
    EXPECT_EQ(content.find(kPassword), std::string::npos) << f.path();
    EXPECT_EQ(content.find(token.token), std::string::npos) << f.path();
  }
  EXPECT_GE(files, 2);
  for (const auto& o : report.outcomes) {
    EXPECT_EQ(o.status.ToString().find(kPassword), std::string::npos);
  }
  std::string audit = TempDir::Read(dir.File("audit.jsonl"));
  EXPECT_NE(audit.find("newbie"), std::string::npos) << "the audit file was written";
}

}  // namespace
}  // namespace rostersync
