// Executor::ResolvePending after simulated crashes, and secrets through every path
// (fake API, SQLite store, audit file).
#include <gtest/gtest.h>

#include <filesystem>

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
    j.created_ms = clock_.NowMs();
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
  EXPECT_EQ(CountAudit(store_.Audit(), "create", "ok"), 1);
  EXPECT_EQ(store_.Audit()[0].run_id, "run-1");
  EXPECT_EQ(CountAudit(sink_.records(), "create", "ok"), 1);
}

TEST_F(ExecutorResolveTest, AbandonsACreateThatNeverReachedTheServer) {
  auto id = store_.JournalBegin(Pending(CreateAction("E1", "ghost")));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(MakeExecutor(&sink_).ResolvePending().ok());
  EXPECT_EQ(store_.Journal()[0].state, "abandoned");
  EXPECT_TRUE(store_.Audit().empty());
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
  EXPECT_EQ(journal[0].state, "done");
  EXPECT_EQ(journal[1].state, "abandoned");
  ASSERT_EQ(store_.Audit().size(), 1u);
  EXPECT_EQ(store_.Audit()[0].key, "E1");
  EXPECT_EQ(store_.LoadLedger()->at("E1").set_values.at("active"), "false");
}

TEST_F(ExecutorResolveTest, CopiesRecordsTheFileMissedBeforeTheCrashOnce) {
  TempDir dir;
  auto file = AuditFile::Open(dir.File("audit.jsonl"));
  ASSERT_TRUE(file.ok());
  RunRecord run;
  run.run_id = "run-1";
  run.command = "sync";
  run.started_ms = clock_.NowMs() - 1000;
  run.result = "running";
  ASSERT_TRUE(store_.BeginRun(run).ok());
  AuditRecord committed;
  committed.ts_ms = clock_.NowMs();
  committed.run_id = "run-1";
  committed.action = "update";
  committed.key = "E1";
  committed.result = "ok";
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
