// MetricsApiObserver: feeds the api client's per-request callbacks into Metrics.
// Holds a reference to Metrics (must outlive it). Thread-safe, like Metrics.
#ifndef ROSTERSYNC_DAEMON_METRICS_OBSERVER_H_
#define ROSTERSYNC_DAEMON_METRICS_OBSERVER_H_

#include "api/api_observer.h"
#include "daemon/metrics.h"

namespace rostersync::daemon {

class MetricsApiObserver : public api::ApiObserver {
 public:
  explicit MetricsApiObserver(Metrics& metrics) : metrics_(metrics) {}
  void OnRequest(const std::string& method, const std::string& route, int http_status,
                 double seconds) override {
    metrics_.RecordApiRequest(method, http_status, seconds);
  }
  void OnRateLimited() override { metrics_.RecordRateLimited(); }

 private:
  Metrics& metrics_;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_METRICS_OBSERVER_H_
