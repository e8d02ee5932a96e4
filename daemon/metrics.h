// Metrics: the Prometheus metrics of docs/contract.md on one prometheus-cpp registry, served by the
// admin endpoint as text. Owns its registry. Thread-safe (prometheus-cpp metrics are atomic;
// the family maps are guarded here).
#ifndef ROSTERSYNC_DAEMON_METRICS_H_
#define ROSTERSYNC_DAEMON_METRICS_H_

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <mutex>
#include <string>

namespace rostersync::daemon {

class Metrics {
 public:
  Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One finished cycle. result: ok | partial | held | failed. now_s: Unix seconds.
  void RecordCycle(const std::string& result, double seconds, double now_s);
  void RecordAction(const std::string& action, const std::string& result, double count = 1);
  void SetRoster(int rows, int rejected);
  void SetHeld(int held);
  // Attention items (Plan::attention) of the last cycle: things a person must do by hand.
  void SetAttention(int items);
  // Whether the last cycle's roster passed its integrity checks (sync/roster.h). 0 while
  // "roster not trusted" holds every change to existing accounts, even when nothing is held.
  void SetRosterTrusted(bool trusted);
  // One HTTP request to Mattermost. code: the HTTP status, 0 for a transport failure.
  void RecordApiRequest(const std::string& method, int code, double seconds);
  void RecordRateLimited();
  // 1 while this instance holds the leader lock (or needs none), 0 on standby.
  void SetLeader(bool leader);

  // The Prometheus text exposition format (version 0.0.4).
  std::string Serialize() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& cycles_;
  prometheus::Gauge& last_success_;
  prometheus::Histogram& cycle_duration_;
  prometheus::Family<prometheus::Counter>& actions_;
  prometheus::Gauge& roster_rows_;
  prometheus::Gauge& roster_rejected_;
  prometheus::Gauge& held_;
  prometheus::Gauge& attention_;
  prometheus::Gauge& roster_trusted_;
  prometheus::Family<prometheus::Counter>& api_requests_;
  prometheus::Histogram& api_duration_;
  prometheus::Counter& rate_limited_;
  prometheus::Gauge& leader_;
  std::mutex mu_;  // guards Family::Add (thread-safe in prometheus-cpp, kept cheap here)
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_METRICS_H_
