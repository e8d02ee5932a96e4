// The StateStore contract suite, run against SQLite (temp dir), PostgreSQL
// (ROSTERSYNC_TEST_PG, a fresh schema per test) and the tests' MemoryStateStore, so the fake
// the unit tests use keeps the real stores' semantics. The same cases must pass on all three;
// SqlStateStoreTest holds the cases only a SQL store has (migrations, reopening).
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "state/open_store.h"
#include "state/sql_state_store.h"
#include "tests/fakes/memory_state_store.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

using ::rostersync::testing::PostgresConnInfo;
using ::rostersync::testing::TempDir;

constexpr int64_t kBigMs = 1'800'000'000'123;  // beyond int32: catches binding narrowing

class StateStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      store_ = std::make_unique<::rostersync::testing::MemoryStateStore>();
      return;
    }
    if (GetParam() == "sqlite") {
      url_ = "sqlite:" + dir_.File("state.db");
    } else {
      std::string conninfo = PostgresConnInfo();
      if (conninfo.empty()) {
        GTEST_FAIL() << "PostgreSQL is a prerequisite, not optional: ROSTERSYNC_TEST_PG is unset (scripts/test starts a server); run eval \"$(scripts/start-postgres)\"";
      }
      static std::atomic<int> counter{0};
      schema_ = "rs_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
      Poco::Data::PostgreSQL::Connector::registerConnector();
      admin_ = std::make_unique<Poco::Data::Session>("PostgreSQL", conninfo);
      *admin_ << "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE", Poco::Data::Keywords::now;
      *admin_ << "CREATE SCHEMA " + schema_, Poco::Data::Keywords::now;
      url_ = "postgresql:" + conninfo + " options=-csearch_path=" + schema_;
    }
    store_ = Open();
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    if (admin_) *admin_ << "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE", Poco::Data::Keywords::now;
  }
  std::unique_ptr<StateStore> Open() {
    auto store = OpenStateStore(url_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  TempDir dir_;
  std::string url_;
  std::string schema_;
  std::unique_ptr<Poco::Data::Session> admin_;
  std::unique_ptr<StateStore> store_;
};

LedgerEntry SampleEntry(const std::string& key) {
  LedgerEntry e;
  e.key = key;
  e.user_id = "uid-" + key;
  e.set_values = {{"auth_data", "j.doe@corp"}, {"last_name", "O'Brien \"Jr\" Ünïcode"},
                  {"nickname", ""}, {"email_verified", "true"}};
  e.absent_since_ms = kBigMs;
  e.absent_cycles = 3;
  e.reported = {"sso_username"};
  return e;
}

AuditRecord SampleAudit(int64_t ts, const std::string& key, AuditResult result) {
  AuditRecord r;
  r.ts_ms = ts;
  r.run_id = "run-1";
  r.action = AuditAction::kUpdate;
  r.key = key;
  r.user_id = "uid-" + key;
  r.username = "user." + key;
  r.changes = {{"last_name", "Smith", "Smith-Jones"}, {"nickname", "", "JJ"}};
  r.result = result;
  const bool ok = result == AuditResult::kOk;
  r.http_status = ok ? 200 : 400;
  r.request_id = ok ? "" : "req-9";
  r.error = ok ? "" : "Conflict: username exists";
  return r;
}

// Cases only a SQL store has: schema migrations and data that outlives the object.
class SqlStateStoreTest : public StateStoreTest {};

TEST_P(SqlStateStoreTest, MigratesToTheLatestVersionOnceAndKeepsDataOnReopen) {
  auto* sql = dynamic_cast<SqlStateStore*>(store_.get());
  ASSERT_NE(sql, nullptr);
  auto version = sql->SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(*version, StateMigrations().back().version);
  ASSERT_TRUE(store_->PutLedgerEntry(SampleEntry("E1")).ok());
  store_.reset();
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  auto again = dynamic_cast<SqlStateStore*>(store_.get())->SchemaVersion();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *version);
  auto ledger = store_->LoadLedger();
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ(ledger->size(), 1u);
}

TEST_P(StateStoreTest, RoundTripsLedgerEntriesWithJsonValuesEmptyStringsAndInt64) {
  LedgerEntry e = SampleEntry("E1");
  ASSERT_TRUE(store_->PutLedgerEntry(e).ok());
  auto ledger = store_->LoadLedger();
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  ASSERT_EQ(ledger->count("E1"), 1u);
  EXPECT_EQ(ledger->at("E1"), e);
  e.user_id = "uid-new";
  e.set_values.erase("auth_data");
  e.absent_cycles = 0;
  ASSERT_TRUE(store_->PutLedgerEntry(e).ok());
  EXPECT_EQ(store_->LoadLedger()->at("E1"), e);
}

TEST_P(StateStoreTest, DeletesLedgerEntries) {
  ASSERT_TRUE(store_->PutLedgerEntry(SampleEntry("E1")).ok());
  ASSERT_TRUE(store_->PutLedgerEntry(SampleEntry("E2")).ok());
  ASSERT_TRUE(store_->DeleteLedgerEntry("E1").ok());
  auto ledger = store_->LoadLedger();
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ(ledger->count("E1"), 0u);
  EXPECT_EQ(ledger->count("E2"), 1u);
}

TEST_P(StateStoreTest, PutLedgerUpsertsManyEntriesAndKeepsTheOthers) {
  ASSERT_TRUE(store_->PutLedgerEntry(SampleEntry("KEEP")).ok());
  Ledger many;
  for (int i = 0; i < 50; ++i) many["K" + std::to_string(i)] = SampleEntry("K" + std::to_string(i));
  ASSERT_TRUE(store_->PutLedger(many).ok());
  auto ledger = store_->LoadLedger();
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ(ledger->size(), 51u);
  EXPECT_EQ(ledger->at("K7"), many["K7"]);
}

// LoadLedger streams the table in batches of 2048 rows: every row of several batches comes
// back whole, whatever its JSON columns hold (escapes, non-ASCII, empty sets and maps).
TEST_P(StateStoreTest, LoadsALedgerOfSeveralFetchBatchesWhole) {
  Ledger many;
  for (int i = 0; i < 5000; ++i) {
    LedgerEntry e = SampleEntry("K" + std::to_string(i));
    e.absent_since_ms = kBigMs + i;
    e.absent_cycles = i % 7;
    e.set_values["username"] = "user\\" + std::to_string(i) + "\n\u00e9";
    if (i % 3 == 0) e.set_values.clear();
    if (i % 2 == 0) e.reported.clear();
    if (i % 5 == 0) e.reported.insert("tab\there");
    many[e.key] = e;
  }
  ASSERT_TRUE(store_->PutLedger(many).ok());
  auto ledger = store_->LoadLedger();
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  EXPECT_EQ(*ledger, many);
}

TEST_P(StateStoreTest, ListsRunsNewestFirstWithTheirOutcome) {
  for (int i = 0; i < 3; ++i) {
    RunRecord r;
    r.run_id = "run-" + std::to_string(i);
    r.command = RunCommand::kSync;
    r.started_ms = kBigMs + i * 1000;
    r.result = RunResult::kRunning;
    ASSERT_TRUE(store_->BeginRun(r).ok());
  }
  RunRecord done;
  done.run_id = "run-1";
  done.command = RunCommand::kSync;
  done.started_ms = kBigMs + 1000;
  done.finished_ms = kBigMs + 1500;
  done.result = RunResult::kPartial;
  done.exit_code = 3;
  done.actions_ok = 7;
  done.actions_failed = 2;
  done.actions_held = 1;
  done.roster_rows = 100;
  done.rejected_rows = 4;
  done.message = "2 actions failed";
  ASSERT_TRUE(store_->FinishRun(done).ok());
  auto runs = store_->RecentRuns(2);
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].run_id, "run-2");
  EXPECT_EQ((*runs)[1], done);
}

TEST_P(StateStoreTest, RejectsASecondRunWithTheSameId) {
  RunRecord r;
  r.run_id = "dup";
  r.command = RunCommand::kSync;
  r.result = RunResult::kRunning;
  ASSERT_TRUE(store_->BeginRun(r).ok());
  Status s = store_->BeginRun(r);
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_NE(s.message().find("state store"), std::string::npos);
}

TEST_P(StateStoreTest, CompletesJournalEntryAuditAndLedgerTogether) {
  JournalEntry j;
  j.run_id = "run-1";
  j.type = ActionType::kCreate;
  j.key = "E1";
  j.username = "jdoe";
  j.email = "jdoe@example.com";
  j.payload = R"({"type":"create","key":"E1"})";
  j.created_ms = kBigMs;
  auto first = store_->JournalBegin(j);
  auto second = store_->JournalBegin(j);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(second.ok());
  EXPECT_GT(*second, *first);
  auto pending = store_->PendingJournal();
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].id, *first);
  EXPECT_EQ((*pending)[0].type, ActionType::kCreate);
  EXPECT_EQ((*pending)[0].payload, j.payload);
  EXPECT_EQ((*pending)[0].created_ms, kBigMs);
  EXPECT_EQ((*pending)[0].state, JournalState::kPending);

  AuditRecord audit = SampleAudit(kBigMs, "E1", AuditResult::kOk);
  LedgerEntry entry = SampleEntry("E1");
  ASSERT_TRUE(store_->CompleteAction(*first, JournalState::kDone, audit, entry).ok());
  ASSERT_TRUE(store_->CompleteAction(*second, JournalState::kAbandoned, std::nullopt, std::nullopt).ok());
  EXPECT_TRUE(store_->PendingJournal()->empty());
  auto records = store_->QueryAudit(AuditQuery{});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0], audit);
  EXPECT_EQ(store_->LoadLedger()->at("E1"), entry);
}

TEST_P(StateStoreTest, QueriesAuditBySinceAndUserNewestLimitOldestFirst) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(store_->AppendAudit(SampleAudit(kBigMs + i, i % 2 ? "odd" : "even",
                                                i == 3 ? AuditResult::kFailed : AuditResult::kOk)).ok());
  }
  AuditQuery q;
  q.since_ms = kBigMs + 2;
  q.username = "user.odd";
  auto odd = store_->QueryAudit(q);
  ASSERT_TRUE(odd.ok()) << odd.status().ToString();
  ASSERT_EQ(odd->size(), 4u);  // 3 5 7 9
  EXPECT_EQ(odd->front().ts_ms, kBigMs + 3);
  EXPECT_EQ(odd->front().result, AuditResult::kFailed);
  EXPECT_EQ(odd->front().error, "Conflict: username exists");
  q.username = "even";  // the roster key matches too
  q.limit = 2;
  auto even = store_->QueryAudit(q);
  ASSERT_TRUE(even.ok());
  ASSERT_EQ(even->size(), 2u);
  EXPECT_EQ((*even)[0].ts_ms, kBigMs + 6);
  EXPECT_EQ((*even)[1].ts_ms, kBigMs + 8);
}

// One person's trail across a rename (jdoe -> jane.doe), next to someone else's.
std::vector<AuditRecord> RenamedPersonTrail() {
  auto rec = [](int64_t ts, const std::string& key, const std::string& username,
                std::vector<FieldChange> changes) {
    AuditRecord r = SampleAudit(ts, key, AuditResult::kOk);
    r.username = username;
    r.changes = std::move(changes);
    return r;
  };
  return {rec(kBigMs, "E1", "jdoe", {{"email", "", "jdoe@example.com"}}),
          rec(kBigMs + 1, "E2", "bob", {{"email", "", "bob@example.com"}}),
          rec(kBigMs + 2, "E1", "jane.doe", {{"username", "jdoe", "jane.doe"},
                                             {"email", "jdoe@example.com", "jane@example.com"}}),
          rec(kBigMs + 3, "E1", "jane.doe", {{"last_name", "Doe", "Doe-Smith"}}),
          rec(kBigMs + 4, "E2", "bob", {{"nickname", "", "jdoe"}})};  // not a name
}

TEST_P(StateStoreTest, QueriesAuditForAPersonByEveryNameTheyHadCaseInsensitively) {
  for (const auto& r : RenamedPersonTrail()) ASSERT_TRUE(store_->AppendAudit(r).ok());
  for (const std::string name : {"jdoe", "JDoe", "jane.doe", "JDoe@Example.com",
                                 "jane@example.com", "e1"}) {
    AuditQuery q;
    q.username = name;
    auto records = store_->QueryAudit(q);
    ASSERT_TRUE(records.ok()) << records.status().ToString();
    std::vector<int64_t> ts;
    for (const auto& r : *records) ts.push_back(r.ts_ms - kBigMs);
    EXPECT_EQ(ts, (std::vector<int64_t>{0, 2, 3})) << name;
  }
  AuditQuery q;
  q.username = "BOB@example.com";
  q.since_ms = kBigMs + 2;
  auto bob = store_->QueryAudit(q);
  ASSERT_TRUE(bob.ok());
  ASSERT_EQ(bob->size(), 1u);
  EXPECT_EQ(bob->front().ts_ms, kBigMs + 4);
  q.username = "j_oe";  // a LIKE wildcard is no match
  EXPECT_TRUE(store_->QueryAudit(q)->empty());
}

TEST_P(StateStoreTest, QueriesAuditByExactRosterKey) {
  for (const auto& r : RenamedPersonTrail()) ASSERT_TRUE(store_->AppendAudit(r).ok());
  AuditQuery q;
  q.key = "E2";
  auto records = store_->QueryAudit(q);
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ(records->back().ts_ms, kBigMs + 4);
  q.key = "e2";
  EXPECT_TRUE(store_->QueryAudit(q)->empty());
}

TEST_P(StateStoreTest, KeepsTheLastAcceptedRoster) {
  auto none = store_->LastAcceptedRoster();
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(store_->SaveAcceptedRoster({"sha256:aaa", 10, kBigMs}).ok());
  ASSERT_TRUE(store_->SaveAcceptedRoster({"sha256:bbb", 5'000'000'000, kBigMs + 1}).ok());
  auto last = store_->LastAcceptedRoster();
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->fingerprint, "sha256:bbb");
  EXPECT_EQ((*last)->rows, 5'000'000'000);
  EXPECT_EQ((*last)->accepted_ms, kBigMs + 1);
}

TEST_P(StateStoreTest, KeepsHeldSetsAndTheirDecisionsNewestFirst) {
  auto none = store_->RecentHeldSets(10);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());
  HeldSetRecord older{"00000000000000aa", kBigMs, "run-1", "40 deactivate",
                      "deactivate\tE1\t\tjdoe\n", "", "", 0, ""};
  HeldSetRecord newer{"00000000000000bb", kBigMs + 5, "run-2", "1 role", "x\ty\t\tz\n",
                      "", "", 0, ""};
  ASSERT_TRUE(store_->PutHeldSet(older).ok());
  ASSERT_TRUE(store_->PutHeldSet(newer).ok());
  older.decision = "approved";
  older.approvers = "alice,bob";
  older.decided_ms = kBigMs + 9;
  older.detail = "40 applied";
  ASSERT_TRUE(store_->PutHeldSet(older).ok());  // a decision replaces the row
  auto sets = store_->RecentHeldSets(10);
  ASSERT_TRUE(sets.ok()) << sets.status().ToString();
  ASSERT_EQ(sets->size(), 2u);
  EXPECT_EQ((*sets)[0], newer);
  EXPECT_EQ((*sets)[1], older);
  EXPECT_EQ(store_->RecentHeldSets(1)->size(), 1u);
}

TEST_P(StateStoreTest, KeepsNamedValuesAndReplacesThem) {
  auto none = store_->GetValue("rate_limit");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(store_->PutValue("rate_limit", "tokens=3 at=1", kBigMs).ok());
  ASSERT_TRUE(store_->PutValue("watermark", "", kBigMs).ok());
  ASSERT_TRUE(store_->PutValue("rate_limit", "tokens=9\t'quoted'", kBigMs + 1).ok());
  auto got = store_->GetValue("rate_limit");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, "tokens=9\t'quoted'");
  auto empty = store_->GetValue("watermark");
  ASSERT_TRUE(empty.ok() && empty->has_value());
  EXPECT_EQ(**empty, "");
}

TEST_P(StateStoreTest, SurvivesConcurrentWritersWithoutLosingRecords) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        JournalEntry j;
        j.key = "K" + std::to_string(t) + "-" + std::to_string(i);
        auto id = store_->JournalBegin(j);
        if (!id.ok() ||
            !store_->CompleteAction(*id, JournalState::kDone, SampleAudit(kBigMs, j.key, AuditResult::kOk),
                                    SampleEntry(j.key)).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->QueryAudit(AuditQuery{})->size(), 100u);
  EXPECT_EQ(store_->LoadLedger()->size(), 100u);
  EXPECT_TRUE(store_->PendingJournal()->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StateStoreTest,
                         ::testing::Values("sqlite", "postgresql", "memory"),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Backends, SqlStateStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace rostersync
