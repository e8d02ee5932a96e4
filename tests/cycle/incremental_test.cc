// Incremental cycles (cycle/users_snapshot.h, cycle/incremental_read.h) in process: which
// cycles are full, what an incremental one reads, and that a delta read that fails or does
// not fit the question stops the cycle before planning and makes the next one full.
#include <gtest/gtest.h>

#include <set>

#include "cycle/cycle_core.h"
#include "cycle/incremental_read.h"
#include "cycle/users_snapshot.h"
#include "sync/plan_json.h"
#include "tests/cycle/cycle_test_support.h"

namespace rostersync::cycle {
namespace {

using rostersync::testing::FakeUsersApi;
using testing::Person;

constexpr int64_t kNow = 1'795'953'600'000;  // 2026-11-29T12:00:00Z
constexpr int64_t kHour = 3'600'000;

// --- DecideCycleKind ---

KindInput Eligible(const UsersSnapshot* snapshot) {
  KindInput in;
  in.snapshot = snapshot;
  in.apply = true;
  in.full_every_ms = 24 * kHour;
  in.now_ms = kNow;
  in.server_time_ms = kNow;
  return in;
}

TEST(DecideCycleKindTest, IncrementalOnlyWhenEveryConditionHolds) {
  UsersSnapshot snapshot;
  snapshot.valid = true;
  snapshot.last_full_ms = kNow - kHour;
  EXPECT_EQ(DecideCycleKind(Eligible(&snapshot)).kind, CycleKind::kIncremental);
  auto kind = [&](auto&& change) {
    KindInput in = Eligible(&snapshot);
    change(in);
    return DecideCycleKind(in).kind;
  };
  EXPECT_EQ(kind([](KindInput& in) { in.snapshot = nullptr; }), CycleKind::kFull);
  EXPECT_EQ(kind([](KindInput& in) { in.apply = false; }), CycleKind::kFull);
  EXPECT_EQ(kind([](KindInput& in) { in.whole_roster = false; }), CycleKind::kFull);
  EXPECT_EQ(kind([](KindInput& in) { in.full_requested = true; }), CycleKind::kFull);
  EXPECT_EQ(kind([](KindInput& in) { in.full_every_ms = 0; }), CycleKind::kFull);
  EXPECT_EQ(kind([](KindInput& in) { in.server_time_ms.reset(); }), CycleKind::kFull);
  EXPECT_EQ(kind([](KindInput& in) { in.now_ms = kNow + 23 * kHour - 1; }),
            CycleKind::kIncremental);
  EXPECT_EQ(kind([](KindInput& in) { in.now_ms = kNow + 23 * kHour; }), CycleKind::kFull);
  snapshot.valid = false;  // first cycle, after a reload, after a failed or held cycle
  EXPECT_EQ(DecideCycleKind(Eligible(&snapshot)).kind, CycleKind::kFull);
}

// --- the core with a snapshot ---

// Adds an account the caller did not ask for to every delta answer.
class ChattyApi : public FakeUsersApi {
 public:
  Result<std::vector<User>> GetUsersChangedSince(const std::vector<std::string>& ids,
                                                 int64_t since_ms) override {
    Result<std::vector<User>> out = FakeUsersApi::GetUsersChangedSince(ids, since_ms);
    if (out.ok() && extra) {
      User stranger;
      stranger.id = "stranger";
      stranger.username = "stranger";
      out->push_back(stranger);
    }
    return out;
  }
  // A reverse proxy in front of the server that sets its own Date, `date_offset_ms` off.
  std::optional<int64_t> LastServerTimeMs() const override {
    std::optional<int64_t> date = FakeUsersApi::LastServerTimeMs();
    if (date) *date += date_offset_ms;
    return date;
  }
  // Accounts deleted permanently on the server: a patch answers 404.
  Result<User> PatchUser(const std::string& user_id, const UserPatch& patch) override {
    if (purged.count(user_id) > 0) {
      return Status::NotFound("Unable to find the user.").WithHttp(404, "req", "app.user.missing");
    }
    return FakeUsersApi::PatchUser(user_id, patch);
  }
  bool extra = false;
  int64_t date_offset_ms = 0;
  std::set<std::string> purged;
};

class IncrementalCycleTest : public ::testing::Test,
                             protected testing::CycleFixture<ChattyApi> {
 protected:
  IncrementalCycleTest() : CycleFixture(kNow) {
    LoadThreePeople();
    options_.planner.policy.verify_email = false;
    options_.full_every_ms = 24 * kHour;
    deps_.snapshot = &snapshot_;
    api_.set_now_ms(kNow);
  }
  // Advances both clocks (ours and the server's) by `ms`, then runs a cycle.
  CycleResult Run(int64_t ms = 15 * 60'000, bool full = false) {
    clock_.Advance(ms);
    api_.set_now_ms(clock_.NowMs());
    CycleRequest request;
    request.apply = true;
    request.full = full;
    request.command = RunCommand::kRun;
    api_.ResetCounters();
    return CycleCore(deps_).Run(options_, request);
  }
};

TEST_F(IncrementalCycleTest, FirstCycleIsFullThenIncrementalWithoutAListing) {
  CycleResult first = Run();
  ASSERT_TRUE(first.status.ok()) << first.status.ToString();
  EXPECT_EQ(first.cycle_kind, "full");
  EXPECT_EQ(api_.Calls("ListAllUsers"), 1);
  ASSERT_TRUE(snapshot_.valid);
  EXPECT_EQ(snapshot_.watermark_ms, clock_.NowMs() - 1000 - kWatermarkMarginMs);

  CycleResult second = Run();
  ASSERT_TRUE(second.status.ok()) << second.status.ToString();
  EXPECT_EQ(second.cycle_kind, "incremental") << second.cycle_kind_reason;
  EXPECT_FALSE(first.plan.incremental);
  EXPECT_TRUE(second.plan.incremental);  // the plan JSON's "cycle": "incremental"
  EXPECT_NE(PlanToJson(second.plan).find("\"cycle\":\"incremental\""), std::string::npos);
  EXPECT_EQ(api_.Calls("ListAllUsers"), 0);
  EXPECT_GE(api_.Calls("GetUsersChangedSince"), 1);
  EXPECT_EQ(second.plan.CountActive(), 0);
  EXPECT_EQ(api_.Writes(), 0);
  Result<std::vector<RunRecord>> runs = store_.RecentRuns(1);
  ASSERT_TRUE(runs.ok() && !runs->empty());
  EXPECT_NE(runs->front().message.find("; incremental cycle"), std::string::npos)
      << runs->front().message;
}

TEST_F(IncrementalCycleTest, ALeaverIsDeactivatedAndAJoinerCreatedIncrementally) {
  ASSERT_TRUE(Run().status.ok());
  loader_.roster.entries.erase(loader_.roster.entries.begin() + 1);  // bob leaves
  loader_.roster.entries.push_back(Person("E4", "dave"));
  CycleResult r = Run();
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.cycle_kind, "incremental");
  EXPECT_EQ(api_.Calls("DeactivateUser"), 1);
  EXPECT_EQ(api_.Calls("CreateUser"), 1);
  EXPECT_GE(api_.Calls("GetUserByEmail"), 1);  // the joiner, looked up before planning
  std::optional<User> bob = api_.FindByUsername("bob");
  ASSERT_TRUE(bob.has_value());
  EXPECT_FALSE(bob->active());
}

TEST_F(IncrementalCycleTest, AnAccountCreatedOutsideThatCollidesWithAJoinerIsAdopted) {
  ASSERT_TRUE(Run().status.ok());
  User outside;
  outside.username = "dave";
  outside.email = "dave@example.com";
  outside.first_name = "dave";
  outside.last_name = "Test";
  api_.AddUser(outside);
  loader_.roster.entries.push_back(Person("E4", "dave"));
  CycleResult r = Run();
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.cycle_kind, "incremental");
  EXPECT_EQ(api_.Calls("CreateUser"), 0);  // not a duplicate: the lookup found it
}

TEST_F(IncrementalCycleTest, AnEditOnTheServerIsSeenAndUndone) {
  ASSERT_TRUE(Run().status.ok());
  clock_.Advance(60'000);
  api_.set_now_ms(clock_.NowMs());
  std::optional<User> alice = api_.FindByUsername("alice");
  ASSERT_TRUE(alice.has_value());
  UserPatch patch;
  patch.first_name = "Mallory";
  ASSERT_TRUE(api_.PatchUser(alice->id, patch).ok());
  CycleResult r = Run();
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.cycle_kind, "incremental");
  EXPECT_EQ(api_.Calls("PatchUser"), 1);
  EXPECT_EQ(api_.FindByUsername("alice")->first_name, "alice");
}

TEST_F(IncrementalCycleTest, EditsByHandAreSeenWhenAProxysDateIsAhead) {
  api_.date_offset_ms = 10 * 60'000;  // the proxy's Date is 10 minutes ahead
  ASSERT_TRUE(Run().status.ok());
  ASSERT_TRUE(Run().status.ok());  // re-reads the accounts created; the next watermark
  EXPECT_LE(snapshot_.watermark_ms, clock_.NowMs() - kWatermarkMarginMs);
  clock_.Advance(60'000);
  api_.set_now_ms(clock_.NowMs());
  std::optional<User> alice = api_.FindByUsername("alice");
  std::optional<User> bob = api_.FindByUsername("bob");
  ASSERT_TRUE(alice.has_value() && bob.has_value());
  UserPatch patch;
  patch.first_name = "Mallory";
  ASSERT_TRUE(api_.PatchUser(alice->id, patch).ok());
  ASSERT_TRUE(api_.DeactivateUser(bob->id).ok());
  CycleResult r = Run(60'000);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.cycle_kind, "incremental");
  EXPECT_EQ(api_.Calls("PatchUser"), 1);
  EXPECT_EQ(api_.FindByUsername("alice")->first_name, "alice");
  // bob's deactivation by hand is seen: a reactivation, held as for a full cycle.
  bool bob_seen = false;
  for (const Action& a : r.plan.actions) {
    bob_seen |= a.type == ActionType::kReactivate && a.username == "bob";
  }
  EXPECT_TRUE(bob_seen);
  // The skew is logged once, not every cycle.
  ASSERT_TRUE(Run().status.ok());
  const std::string log = log_.All();
  const std::size_t first = log.find("W the Date header of http://mm.example is 600 s away");
  ASSERT_NE(first, std::string::npos) << log;
  EXPECT_EQ(log.find("the Date header of", first + 10), std::string::npos) << log;
}

TEST_F(IncrementalCycleTest, A404OnAWriteToAKnownAccountMakesTheNextCycleFull) {
  ASSERT_TRUE(Run().status.ok());
  ASSERT_TRUE(Run().status.ok());  // the snapshot now holds the accounts created
  std::optional<User> alice = api_.FindByUsername("alice");
  ASSERT_TRUE(alice.has_value());
  api_.purged.insert(alice->id);  // deleted permanently: no update_at to see
  loader_.roster.entries[0].first_name = "Alicia";
  CycleResult r = Run();
  EXPECT_EQ(r.cycle_kind, "incremental");
  EXPECT_EQ(r.report.failed, 1);  // the patch answered 404
  EXPECT_FALSE(snapshot_.valid);
  EXPECT_NE(log_.All().find("account alice is gone from the server (404 on a write): the next "
                            "cycle is full"),
            std::string::npos)
      << log_.All();
  CycleResult next = Run();
  EXPECT_EQ(next.cycle_kind, "full");
  EXPECT_NE(next.cycle_kind_reason.find("answered 404 to a write"), std::string::npos)
      << next.cycle_kind_reason;
  EXPECT_EQ(api_.Calls("ListAllUsers"), 1);
}

TEST(WatermarkForTest, TheEarliestClockLessTheMargin) {
  WatermarkInput in;
  in.local_ms = kNow;
  in.server_date_ms = kNow;
  in.newest_update_at_ms = kNow - 5000;  // no account changed in the last 5 s
  EXPECT_EQ(WatermarkFor(in), kNow - 5000 - kWatermarkMarginMs);
  in.newest_update_at_ms = 0;  // none seen: the other two
  EXPECT_EQ(WatermarkFor(in), kNow - 1000 - kWatermarkMarginMs);
  in.server_date_ms = kNow + kHour;  // a Date ahead: our clock
  EXPECT_EQ(WatermarkFor(in), kNow - kWatermarkMarginMs);
  in.server_date_ms = kNow - kHour;  // a Date behind: the Date
  EXPECT_EQ(WatermarkFor(in), kNow - kHour - 1000 - kWatermarkMarginMs);
  in.server_date_ms.reset();
  in.newest_update_at_ms = kNow + kHour;  // the server's clock ahead of ours
  EXPECT_EQ(WatermarkFor(in), kNow - kWatermarkMarginMs);
  EXPECT_FALSE(DateSkewed(kNow + kDateSkewWarnMs, kNow));
  EXPECT_TRUE(DateSkewed(kNow + kDateSkewWarnMs + 1, kNow));
  EXPECT_TRUE(DateSkewed(kNow - kDateSkewWarnMs - 1, kNow));
}

TEST_F(IncrementalCycleTest, AFailedDeltaReadStopsBeforePlanningAndTheNextCycleIsFull) {
  ASSERT_TRUE(Run().status.ok());
  loader_.roster.entries.pop_back();  // carol leaves: nothing may act on it this cycle
  api_.FailNext("GetUsersChangedSince", Status::Transient("connection reset"));
  CycleResult r = Run();
  EXPECT_FALSE(r.status.ok());
  EXPECT_EQ(r.stage, "server");
  EXPECT_EQ(r.cycle_kind, "incremental");
  EXPECT_FALSE(r.planned);
  EXPECT_EQ(api_.Writes(), 0);
  EXPECT_FALSE(snapshot_.valid);
  CycleResult next = Run();
  ASSERT_TRUE(next.status.ok()) << next.status.ToString();
  EXPECT_EQ(next.cycle_kind, "full");
  EXPECT_EQ(api_.Calls("ListAllUsers"), 1);
  EXPECT_EQ(api_.Calls("DeactivateUser"), 1);
}

TEST_F(IncrementalCycleTest, ADeltaAnswerWithAnAccountNotAskedForStopsTheCycle) {
  ASSERT_TRUE(Run().status.ok());
  api_.extra = true;
  CycleResult r = Run();
  EXPECT_FALSE(r.status.ok());
  EXPECT_EQ(r.stage, "server");
  EXPECT_NE(r.status.message().find("not asked for"), std::string::npos) << r.status.ToString();
  EXPECT_FALSE(r.planned);
  EXPECT_EQ(api_.Writes(), 0);
  api_.extra = false;
  EXPECT_EQ(Run().cycle_kind, "full");
}

TEST_F(IncrementalCycleTest, FullEveryRequestedFailedAndNoDateMakeFullCycles) {
  ASSERT_TRUE(Run().status.ok());
  EXPECT_EQ(Run(23 * kHour).cycle_kind, "incremental");
  EXPECT_EQ(Run(kHour).cycle_kind, "full");  // 24 h since the last full cycle
  EXPECT_EQ(Run().cycle_kind, "incremental");
  EXPECT_EQ(Run(60'000, /*full=*/true).cycle_kind, "full");  // sync --full
  EXPECT_EQ(Run().cycle_kind, "incremental");
  source_.fail = Status::IoError("roster unreadable");
  EXPECT_FALSE(Run().status.ok());
  source_.fail = Status::Ok();
  EXPECT_EQ(Run().cycle_kind, "full");  // the previous cycle failed
  api_.set_server_time_known(false);
  EXPECT_EQ(Run().cycle_kind, "full");  // no Date: no watermark
  EXPECT_EQ(Run().cycle_kind, "full");
  api_.set_server_time_known(true);
  CycleResult after_no_date = Run();
  EXPECT_EQ(after_no_date.cycle_kind, "full");
  EXPECT_NE(after_no_date.cycle_kind_reason.find("the server sent no Date header"),
            std::string::npos)
      << after_no_date.cycle_kind_reason;
  EXPECT_EQ(Run().cycle_kind, "incremental");
  options_.full_every_ms = 0;
  EXPECT_EQ(Run().cycle_kind, "full");
}

TEST_F(IncrementalCycleTest, AHeldCycleMakesTheNextFull) {
  ASSERT_TRUE(Run().status.ok());
  options_.planner.policy.max_deactivations = Threshold{false, 0};  // any deactivation held
  loader_.roster.entries.pop_back();
  CycleResult held = Run();
  EXPECT_EQ(held.cycle_kind, "incremental");
  EXPECT_EQ(held.result, RunResult::kHeld);
  EXPECT_FALSE(snapshot_.valid);
  EXPECT_EQ(Run().cycle_kind, "full");
}

TEST_F(IncrementalCycleTest, AccountsActedOnAreReadAgainInFull) {
  ASSERT_TRUE(Run().status.ok());
  loader_.roster.entries[0].first_name = "Alicia";
  ASSERT_TRUE(Run().status.ok());
  ASSERT_EQ(snapshot_.touched.size(), 1u);
  CycleResult r = Run();
  EXPECT_EQ(r.cycle_kind, "incremental");
  EXPECT_EQ(api_.Calls("GetUsersByIds"), 1);  // the touched account, without since
  EXPECT_TRUE(snapshot_.touched.empty());
}

// --- LookupsFor ---

TEST(LookupsForTest, OnlyRowsWhoseEmailOrUsernameNoAccountHas) {
  Roster roster;
  roster.entries = {Person("E1", "alice"), Person("E2", "Bob")};
  roster.entries[1].email = "BOB@example.com";
  User alice;
  alice.id = "u1";
  alice.username = "alice";
  alice.email = "alice@example.com";
  User bob;
  bob.id = "u2";
  bob.username = "bobby";
  bob.email = "bob@example.com";
  RowLookups l = LookupsFor(roster, {alice, bob});
  EXPECT_EQ(l.usernames, std::vector<std::string>{"bob"});
  EXPECT_TRUE(l.emails.empty());
}

}  // namespace
}  // namespace rostersync::cycle
