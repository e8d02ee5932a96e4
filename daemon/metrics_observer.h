// MetricsApiObserver: feeds the api client's per-request callbacks into Metrics, and logs
// each request at debug level (method, route template, status, seconds: never a header,
// query or body, so never a token). Holds a reference to Metrics (must outlive it).
// Thread-safe, like Metrics and spdlog.
#ifndef ROSTERSYNC_DAEMON_METRICS_OBSERVER_H_
#define ROSTERSYNC_DAEMON_METRICS_OBSERVER_H_

#include <spdlog/spdlog.h>

#include "api/api_observer.h"
#include "daemon/metrics.h"

namespace rostersync::daemon {

class MetricsApiObserver : public api::ApiObserver {
 public:
  explicit MetricsApiObserver(Metrics& metrics) : metrics_(metrics) {}
  void OnRequest(const std::string& method, const std::string& route, int http_status,
                 double seconds) override {
    metrics_.RecordApiRequest(method, http_status, seconds);
    spdlog::debug("api {} {} -> {} in {:.3f}s", method, route,
                  http_status == 0 ? std::string("no answer") : std::to_string(http_status),
                  seconds);
  }
  void OnRateLimited() override {
    metrics_.RecordRateLimited();
    spdlog::debug("api rate limited by the server (429); waiting as it asks");
  }

 private:
  Metrics& metrics_;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_METRICS_OBSERVER_H_
