// The parts split out of the service, in process: the reporter (metrics, STATUS=, webhook)
// and the status view (GET /v1/status). The service's last run is RunRecordFor(result), so
// /v1/status shows the command the cycle ran as (a per-key sync is "sync-user").
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "daemon/service_reporter.h"
#include "daemon/status_view.h"

namespace rostersync::daemon {
namespace {

class RecordingSender : public WebhookSender {
 public:
  explicit RecordingSender(std::vector<std::string>* bodies) : bodies_(bodies) {}
  Status Post(const std::string& body) override {
    bodies_->push_back(body);
    return Status::Ok();
  }

 private:
  std::vector<std::string>* bodies_;
};

class ServiceSplitTest : public ::testing::Test {
 protected:
  CycleReporter Reporter() {
    return CycleReporter(metrics_, notifier_, clock_,
                         [this](const std::string& s) { statuses_.push_back(s); });
  }
  std::string Sent() const {
    std::string all;
    for (const std::string& b : sent_) all += b + "\n";
    return all;
  }

  FakeClock clock_{1'795'953'600'000};
  Metrics metrics_;
  std::vector<std::string> sent_;
  Notifier notifier_{std::make_unique<RecordingSender>(&sent_), clock_};
  std::vector<std::string> statuses_;
};

TEST_F(ServiceSplitTest, AFailedCycleIsCountedStatusedAndAlertedByItsStage) {
  CycleResult r;
  r.run_id = "r-1";
  r.status = Status::IoError("permission denied");
  r.stage = "roster";
  r.exit_code = 1;
  r.result = RunResult::kFailed;
  std::string summary = Reporter().Report(r);
  EXPECT_EQ(summary, "plan failed at roster: IoError: permission denied");
  ASSERT_EQ(statuses_.size(), 1u);
  EXPECT_EQ(statuses_[0], summary);
  EXPECT_NE(Sent().find("cycle failed"), std::string::npos) << Sent();
  EXPECT_NE(metrics_.Serialize().find("rostersync_cycles_total{result=\"failed\"} 1"),
            std::string::npos)
      << metrics_.Serialize();
}

TEST_F(ServiceSplitTest, AnAppliedCycleSendsASummaryAndOneAlertPerHold) {
  CycleResult r;
  r.run_id = "r-2";
  r.planned = r.applied = true;
  r.exit_code = 4;
  r.result = RunResult::kHeld;
  r.report.ok = 2;
  r.plan.holds.push_back(Hold{"max_deactivations", 3, "3 deactivations exceed 1"});
  Reporter().Report(r);
  EXPECT_NE(Sent().find("sync held: 2 applied"), std::string::npos) << Sent();
  EXPECT_NE(Sent().find("held back: 3 deactivations exceed 1"), std::string::npos) << Sent();
  Reporter().Report(r);  // the same hold within the hour: not alerted again
  size_t alerts = 0;
  for (const std::string& b : sent_) alerts += b.find("held back") != std::string::npos;
  EXPECT_EQ(alerts, 1u);
}

// An untrusted roster with nothing left to hold holds no action (rostersync_held_actions 0)
// yet every cycle exits 4: rostersync_roster_trusted says so, and goes back to 1.
TEST_F(ServiceSplitTest, AnUntrustedRosterWithNothingHeldShowsInTheTrustedMetric) {
  CycleResult r;
  r.run_id = "r-3";
  r.planned = r.applied = true;
  r.exit_code = 4;
  r.result = RunResult::kHeld;
  r.roster.trusted = false;
  r.roster.untrusted_reasons = {"roster has 475 valid rows, 30 fewer"};
  r.plan.holds.push_back(Hold{"untrusted_roster", 0, "roster not trusted (...)"});
  Reporter().Report(r);
  std::string text = metrics_.Serialize();
  EXPECT_NE(text.find("rostersync_held_actions 0"), std::string::npos) << text;
  EXPECT_NE(text.find("rostersync_roster_trusted 0"), std::string::npos) << text;
  CycleResult fine;
  fine.run_id = "r-4";
  fine.planned = fine.applied = true;
  Reporter().Report(fine);
  text = metrics_.Serialize();
  EXPECT_NE(text.find("rostersync_roster_trusted 1"), std::string::npos) << text;
}

TEST_F(ServiceSplitTest, ASetupFailureIsAFailedCycleWithAnAlert) {
  Reporter().NotRun(Status::IoError("state.database unreachable"));
  EXPECT_NE(Sent().find("cycle not run: IoError: state.database unreachable"),
            std::string::npos)
      << Sent();
  ASSERT_EQ(statuses_.size(), 1u);
  EXPECT_EQ(statuses_[0].rfind("cycle failed: ", 0), 0u);
}

TEST_F(ServiceSplitTest, TheStatusShowsTheLastRunAsRecordedWithItsCommand) {
  CycleResult r;
  r.run_id = "r-3";
  r.command = RunCommand::kSyncUser;
  r.result = RunResult::kOk;
  r.planned = r.applied = true;
  StatusSnapshot s;
  s.ready = true;
  s.last_run = RunRecordFor(r, clock_.NowMs());
  std::string json = StatusToJson(s);
  EXPECT_NE(json.find("\"command\":\"sync-user\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"role\":\"leader\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"next_cycle\":\"\""), std::string::npos) << json;  // no scheduler
}

TEST_F(ServiceSplitTest, TheStatusOfAStandbyWithASchedulerShowsItsCounters) {
  StatusSnapshot s;
  s.standby = true;
  s.scheduled = true;
  s.cycles_run = 7;
  s.consecutive_failures = 2;
  s.next_due_ms = clock_.NowMs();
  s.not_ready_reason = "the token was \"refused\"";
  std::string json = StatusToJson(s);
  EXPECT_NE(json.find("\"role\":\"standby\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"cycles_run\":7,\"consecutive_failures\":2"), std::string::npos) << json;
  EXPECT_NE(json.find("2026-11-29T12:00:00Z"), std::string::npos) << json;
  EXPECT_NE(json.find("\\\"refused\\\""), std::string::npos) << json;  // escaped
  EXPECT_NE(json.find("\"last_run\":null"), std::string::npos) << json;
}

}  // namespace
}  // namespace rostersync::daemon
