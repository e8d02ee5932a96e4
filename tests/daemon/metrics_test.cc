#include "daemon/metrics.h"

#include <gtest/gtest.h>

namespace rostersync::daemon {
namespace {

TEST(MetricsTest, ExposesEveryMetricNameOfTheSpec) {
  Metrics m;
  m.RecordCycle("ok", 1.5, 1'700'000'000);
  m.RecordAction("create", "ok");
  m.SetRoster(10, 2);
  m.SetHeld(3);
  m.SetAttention(2);
  m.SetRosterTrusted(false);
  m.RecordApiRequest("GET", 200, 0.01);
  m.RecordRateLimited();
  std::string text = m.Serialize();
  for (const char* name :
       {"rostersync_cycles_total{result=\"ok\"} 1", "rostersync_last_success_timestamp_seconds",
        "rostersync_cycle_duration_seconds_bucket", "rostersync_cycle_duration_seconds_count",
        "rostersync_actions_total{action=\"create\",result=\"ok\"} 1", "rostersync_roster_rows 10",
        "rostersync_roster_rejected_rows 2", "rostersync_held_actions 3",
        "rostersync_attention_items 2", "rostersync_roster_trusted 0",
        "rostersync_api_requests_total{code=\"200\",method=\"GET\"} 1",
        "rostersync_api_request_duration_seconds_count 1", "rostersync_rate_limited_total 1"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name << "\n" << text;
  }
}

TEST(MetricsTest, AFailedCycleDoesNotMoveTheLastSuccessTime) {
  Metrics m;
  m.RecordCycle("ok", 1, 100);
  m.RecordCycle("failed", 1, 200);
  std::string text = m.Serialize();
  EXPECT_NE(text.find("rostersync_last_success_timestamp_seconds 100"), std::string::npos) << text;
  EXPECT_NE(text.find("rostersync_cycles_total{result=\"failed\"} 1"), std::string::npos);
}

TEST(MetricsTest, TransportFailuresAreCountedUnderCodeError) {
  Metrics m;
  m.RecordApiRequest("POST", 0, 0.5);
  EXPECT_NE(m.Serialize().find("code=\"error\",method=\"POST\""), std::string::npos);
}

TEST(MetricsTest, StandbyShowsInTheLeaderGauge) {
  Metrics m;
  m.SetLeader(false);
  EXPECT_NE(m.Serialize().find("rostersync_leader 0"), std::string::npos);
}

}  // namespace
}  // namespace rostersync::daemon
